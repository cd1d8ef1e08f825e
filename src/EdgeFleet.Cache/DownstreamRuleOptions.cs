namespace EdgeFleet.Cache;

/// <summary>One downstream rule as configured (see <see cref="EdgeFleet.Http.DownstreamRule"/>).</summary>
public sealed class DownstreamRuleOptions
{
    public List<string> ContentTypes { get; set; } = [];

    public string CacheControl { get; set; } = "";

    public bool Expires { get; set; } = true;
}
