namespace EdgeFleet.Http;

/// <summary>The few knobs of the caching rules. Defaults follow RFC 9111's guidance.</summary>
public sealed record CachePolicyOptions
{
    /// <summary>
    /// Share of the time since <c>Last-Modified</c> used as heuristic freshness (RFC 9111
    /// §4.2.2 suggests no more than 10%).
    /// </summary>
    public double HeuristicFraction { get; init; } = 0.1;

    /// <summary>Upper bound of a heuristic freshness lifetime.</summary>
    public TimeSpan MaxHeuristicLifetime { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Freshness given to a heuristically cacheable response that has neither explicit freshness
    /// nor <c>Last-Modified</c> (an Origin's "default TTL"). Zero keeps such responses stale.
    /// </summary>
    public TimeSpan DefaultTtl { get; init; }

    /// <summary>The default options.</summary>
    public static CachePolicyOptions Default { get; } = new();
}
