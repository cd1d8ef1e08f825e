namespace EdgeFleet.Cache;

/// <summary>One downstream rule as configured (see <see cref="EdgeFleet.Http.DownstreamRule"/>).</summary>
public sealed class DownstreamRuleOptions
{
    public List<string> ContentTypes { get; set; } = [];

    public string CacheControl { get; set; } = "";

    /// <summary>Expires after this long; by default as long as the rule's max-age; zero sends none.</summary>
    public TimeSpan? Expires { get; set; }
}
