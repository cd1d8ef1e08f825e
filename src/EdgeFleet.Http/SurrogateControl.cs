namespace EdgeFleet.Http;

/// <summary>
/// <c>Surrogate-Control</c> from the W3C Edge Architecture Specification: directives for
/// surrogates (reverse-proxy caches) that replace <c>Cache-Control</c> for them. A directive may
/// name its target device after a semicolon (<c>max-age=60;edgefleet</c>); one without a target
/// applies to every surrogate. The cache announces itself with <c>Surrogate-Capability</c>.
/// </summary>
public static class SurrogateControl
{
    /// <summary>This cache's device token in <c>Surrogate-Capability</c> and directive targets.</summary>
    public const string DeviceToken = "edgefleet";

    /// <summary>The <c>Surrogate-Capability</c> request field value this cache sends.</summary>
    public const string Capability = DeviceToken + "=\"Surrogate/1.0\"";

    /// <summary>
    /// The directives that apply to this cache, as <see cref="CacheControl"/>; <c>max-age=N+M</c>
    /// keeps N (the freshness lifetime). Empty when none applies.
    /// </summary>
    public static CacheControl Parse(IEnumerable<string> fieldLines)
    {
        ArgumentNullException.ThrowIfNull(fieldLines);
        var applicable = new List<string>();
        foreach (var line in fieldLines)
        {
            foreach (var member in line.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var semicolon = member.IndexOf(';', StringComparison.Ordinal);
                var directive = semicolon < 0 ? member : member[..semicolon];
                if (semicolon >= 0 && !string.Equals(member[(semicolon + 1)..].Trim(), DeviceToken, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var plus = directive.IndexOf('+', StringComparison.Ordinal);
                applicable.Add(plus < 0 ? directive : directive[..plus]);
            }
        }

        return applicable.Count == 0 ? CacheControl.Empty : CacheControl.Parse(string.Join(", ", applicable));
    }
}
