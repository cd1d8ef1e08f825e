using System.Text;

namespace EdgeFleet.Metrics;

/// <summary>
/// One distinct set of measurement tags of one instrument, with its Prometheus label text computed once
/// when the set is first seen (so a scrape only concatenates strings).
/// </summary>
internal sealed class TagSet
{
    public TagSet(
        ReadOnlySpan<KeyValuePair<string, object?>> tags,
        IReadOnlyList<KeyValuePair<string, object?>> constantTags,
        string? reservedLabel)
    {
        Tags = tags.ToArray();
        Hash = TagSetComparer.HashOf(tags);
        Labels = FormatLabels(Tags, constantTags, reservedLabel);
    }

    /// <summary>The measurement tags as recorded (order as first seen; equality ignores order).</summary>
    public KeyValuePair<string, object?>[] Tags { get; }

    /// <summary>Order-independent hash of <see cref="Tags"/>.</summary>
    public int Hash { get; }

    /// <summary>
    /// The label pairs without braces, sorted by label name, values escaped: <c>a="x",b="y"</c>.
    /// Empty when there are no labels.
    /// </summary>
    public string Labels { get; }

    /// <summary>
    /// Measurement tags come first and win over constant (meter/instrument) tags of the same key. When two
    /// keys sanitize to the same label name, the one whose original key sorts first is kept, because a
    /// sample may not repeat a label name.
    /// </summary>
    private static string FormatLabels(
        KeyValuePair<string, object?>[] tags,
        IReadOnlyList<KeyValuePair<string, object?>> constantTags,
        string? reservedLabel)
    {
        if (tags.Length == 0 && constantTags.Count == 0)
        {
            return string.Empty;
        }

        var pairs = new List<(string Name, string Key, string Value)>(tags.Length + constantTags.Count);
        foreach (var tag in tags)
        {
            pairs.Add((LabelName(tag.Key, reservedLabel), tag.Key, PrometheusText.FormatTagValue(tag.Value)));
        }

        foreach (var tag in constantTags)
        {
            if (!Array.Exists(tags, t => string.Equals(t.Key, tag.Key, StringComparison.Ordinal)))
            {
                pairs.Add((LabelName(tag.Key, reservedLabel), tag.Key, PrometheusText.FormatTagValue(tag.Value)));
            }
        }

        pairs.Sort((a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Key, b.Key);
        });

        var builder = new StringBuilder();
        string? previous = null;
        foreach (var (name, _, value) in pairs)
        {
            if (string.Equals(name, previous, StringComparison.Ordinal))
            {
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(name).Append("=\"");
            PrometheusText.AppendEscapedLabelValue(builder, value);
            builder.Append('"');
            previous = name;
        }

        return builder.ToString();
    }

    // A histogram's own "le" label must stay unique; a user tag of that name is renamed the way
    // Prometheus renames clashing target labels.
    private static string LabelName(string key, string? reservedLabel)
    {
        var name = PrometheusText.SanitizeLabelName(key);
        return string.Equals(name, reservedLabel, StringComparison.Ordinal) ? "exported_" + name : name;
    }
}
