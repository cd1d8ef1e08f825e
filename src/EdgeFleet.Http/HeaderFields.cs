namespace EdgeFleet.Http;

/// <summary>
/// An ordered list of header fields, each name once with its field lines, compared without
/// regard to case. Small by design: responses carry a few dozen fields at most, so a linear
/// search beats hashing and keeps the stored form compact.
/// </summary>
public sealed class HeaderFields : IEnumerable<KeyValuePair<string, string[]>>
{
    private readonly List<KeyValuePair<string, string[]>> _fields;

    public HeaderFields() => _fields = [];

    public HeaderFields(IEnumerable<KeyValuePair<string, string[]>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        _fields = [];
        foreach (var (name, values) in fields)
        {
            Append(name, values);
        }
    }

    public int Count => _fields.Count;

    /// <summary>The field lines of <paramref name="name"/>, or an empty array.</summary>
    public string[] this[string name] => TryGet(name, out var values) ? values : [];

    public bool Contains(string name) => IndexOf(name) >= 0;

    public bool TryGet(string name, out string[] values)
    {
        var i = IndexOf(name);
        values = i >= 0 ? _fields[i].Value : [];
        return i >= 0;
    }

    /// <summary>The field lines joined as one list value (RFC 9110 §5.3), or null.</summary>
    public string? GetCombined(string name) =>
        TryGet(name, out var values) && values.Length > 0 ? string.Join(", ", values) : null;

    /// <summary>The first field line, or null.</summary>
    public string? GetFirst(string name) =>
        TryGet(name, out var values) && values.Length > 0 ? values[0] : null;

    /// <summary>Replaces the field lines of <paramref name="name"/>.</summary>
    public void Set(string name, params string[] values)
    {
        var i = IndexOf(name);
        if (i >= 0)
        {
            _fields[i] = new(_fields[i].Key, values);
        }
        else
        {
            _fields.Add(new(name, values));
        }
    }

    /// <summary>Adds field lines after any existing ones.</summary>
    public void Append(string name, params string[] values)
    {
        var i = IndexOf(name);
        if (i >= 0)
        {
            _fields[i] = new(_fields[i].Key, [.. _fields[i].Value, .. values]);
        }
        else
        {
            _fields.Add(new(name, values));
        }
    }

    public bool Remove(string name)
    {
        var i = IndexOf(name);
        if (i >= 0)
        {
            _fields.RemoveAt(i);
        }

        return i >= 0;
    }

    public HeaderFields Clone() => new(_fields);

    public IEnumerator<KeyValuePair<string, string[]>> GetEnumerator() => _fields.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string name)
    {
        for (var i = 0; i < _fields.Count; i++)
        {
            if (string.Equals(_fields[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
