namespace EdgeFleet.Http;

/// <summary>
/// Secondary cache keys (RFC 9111 §4.1): a stored response with <c>Vary</c> is reused only for a
/// request whose nominated header fields match those of the request that produced it.
/// </summary>
public static class VaryRule
{
    /// <summary>The wildcard: a response with <c>Vary: *</c> never matches (§4.1).</summary>
    public const string Any = "*";

    /// <summary>Parses Vary field lines into lower-cased, de-duplicated names in order.</summary>
    public static IReadOnlyList<string> ParseNames(IEnumerable<string> fieldLines)
    {
        ArgumentNullException.ThrowIfNull(fieldLines);
        List<string>? names = null;
        foreach (var line in fieldLines)
        {
            foreach (var part in line.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var name = part.ToLowerInvariant();
                names ??= [];
                if (!names.Contains(name))
                {
                    names.Add(name);
                }
            }
        }

        return names is null ? [] : names.Contains(Any) ? [Any] : names;
    }

    /// <summary>
    /// The secondary key of a request for a list of Vary names: each nominated field's value,
    /// normalised by joining its lines and collapsing whitespace around commas (§4.1 allows
    /// such normalisation). Returns null for <c>Vary: *</c>, which never matches.
    /// </summary>
    public static string? SecondaryKey(IReadOnlyList<string> varyNames, Func<string, IEnumerable<string>> requestField)
    {
        ArgumentNullException.ThrowIfNull(varyNames);
        ArgumentNullException.ThrowIfNull(requestField);
        if (varyNames.Count == 0)
        {
            return string.Empty;
        }

        if (varyNames.Contains(Any))
        {
            return null;
        }

        var builder = new System.Text.StringBuilder();
        foreach (var name in varyNames)
        {
            // An absent field matches only an absent field, never an empty one (§4.1): the
            // name alone stands for absence, the name and a colon for a present value.
            builder.Append(name);
            var lines = requestField(name).ToList();
            if (lines.Count > 0)
            {
                builder.Append(':');
            }

            var first = true;
            foreach (var line in lines)
            {
                foreach (var part in line.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    builder.Append(part);
                    first = false;
                }
            }

            builder.Append('\n');
        }

        return builder.ToString();
    }
}
