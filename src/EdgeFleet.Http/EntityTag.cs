namespace EdgeFleet.Http;

/// <summary>An entity tag (RFC 9110 §8.8.3): an opaque quoted string, weak or strong.</summary>
public readonly record struct EntityTag(string Tag, bool IsWeak)
{
    /// <summary>The field value form, for example <c>W/"abc"</c>.</summary>
    public override string ToString() => IsWeak ? $"W/\"{Tag}\"" : $"\"{Tag}\"";

    /// <summary>Strong comparison (§8.8.3.2): both strong and identical.</summary>
    public bool StrongEquals(EntityTag other) => !IsWeak && !other.IsWeak && Tag == other.Tag;

    /// <summary>Weak comparison (§8.8.3.2): identical opaque tags, weakness ignored.</summary>
    public bool WeakEquals(EntityTag other) => Tag == other.Tag;

    /// <summary>Parses one entity tag, such as the value of an <c>ETag</c> field.</summary>
    public static bool TryParse(string? text, out EntityTag tag)
    {
        tag = default;
        if (text is null)
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        var weak = span.StartsWith("W/", StringComparison.Ordinal);
        if (weak)
        {
            span = span[2..];
        }

        if (span.Length < 2 || span[0] != '"' || span[^1] != '"' || span[1..^1].Contains('"'))
        {
            return false;
        }

        tag = new EntityTag(span[1..^1].ToString(), weak);
        return true;
    }

    /// <summary>
    /// Parses an <c>If-None-Match</c>/<c>If-Match</c> list. Returns false on a syntax error, so
    /// the caller can ignore the field; <paramref name="any"/> is set for <c>*</c>.
    /// </summary>
    public static bool TryParseList(IEnumerable<string?> fieldLines, out List<EntityTag> tags, out bool any)
    {
        ArgumentNullException.ThrowIfNull(fieldLines);
        tags = [];
        any = false;
        foreach (var line in fieldLines)
        {
            if (line is null)
            {
                continue;
            }

            var rest = line.AsSpan();
            while (true)
            {
                rest = rest.TrimStart(" \t,");
                if (rest.IsEmpty)
                {
                    break;
                }

                if (rest[0] == '*')
                {
                    any = true;
                    rest = rest[1..];
                    continue;
                }

                var start = rest.StartsWith("W/", StringComparison.Ordinal) ? 2 : 0;
                if (rest.Length <= start || rest[start] != '"')
                {
                    return false;
                }

                var close = rest[(start + 1)..].IndexOf('"');
                if (close < 0)
                {
                    return false;
                }

                var length = start + close + 2;
                if (!TryParse(rest[..length].ToString(), out var tag))
                {
                    return false;
                }

                tags.Add(tag);
                rest = rest[length..];
            }
        }

        return any || tags.Count > 0;
    }
}
