namespace EdgeFleet.Metrics;

/// <summary>
/// Compares tag sets ignoring tag order, and lets a dictionary keyed by <see cref="TagSet"/> be searched
/// with the span of tags a measurement callback receives, so that recording with a tag set seen before
/// allocates nothing.
/// </summary>
internal sealed class TagSetComparer :
    IEqualityComparer<TagSet>,
    IAlternateEqualityComparer<ReadOnlySpan<KeyValuePair<string, object?>>, TagSet>
{
    private readonly IReadOnlyList<KeyValuePair<string, object?>> _constantTags;
    private readonly string? _reservedLabel;

    /// <param name="constantTags">Meter and instrument tags, added to every series of the instrument.</param>
    /// <param name="reservedLabel">A label name the family uses itself (<c>le</c> for histograms), or null.</param>
    public TagSetComparer(IReadOnlyList<KeyValuePair<string, object?>> constantTags, string? reservedLabel)
    {
        _constantTags = constantTags;
        _reservedLabel = reservedLabel;
    }

    /// <summary>
    /// Sum of per-tag hashes: the same tags in any order hash alike. Tag sets are small (a handful of
    /// tags), so the weaker mixing of a sum is not a concern.
    /// </summary>
    public static int HashOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = tags.Length;
        foreach (var tag in tags)
        {
            hash = unchecked(hash + HashCode.Combine(StringComparer.Ordinal.GetHashCode(tag.Key), tag.Value));
        }

        return hash;
    }

    public bool Equals(TagSet? x, TagSet? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        return x is not null && y is not null && x.Hash == y.Hash && SameTags(x.Tags, y.Tags);
    }

    public int GetHashCode(TagSet obj) => obj.Hash;

    public bool Equals(ReadOnlySpan<KeyValuePair<string, object?>> alternate, TagSet other) =>
        SameTags(alternate, other.Tags);

    public int GetHashCode(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => HashOf(alternate);

    public TagSet Create(ReadOnlySpan<KeyValuePair<string, object?>> alternate) =>
        new(alternate, _constantTags, _reservedLabel);

    // Quadratic, but over a handful of tags that beats sorting or hashing into a set.
    private static bool SameTags(ReadOnlySpan<KeyValuePair<string, object?>> a, ReadOnlySpan<KeyValuePair<string, object?>> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        foreach (var tag in a)
        {
            var found = false;
            foreach (var candidate in b)
            {
                if (string.Equals(tag.Key, candidate.Key, StringComparison.Ordinal))
                {
                    found = Equals(tag.Value, candidate.Value);
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }
}
