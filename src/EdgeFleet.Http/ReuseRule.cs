namespace EdgeFleet.Http;

/// <summary>
/// Whether a stored response can answer a request (RFC 9111 §4, §4.2.4, §5.2) and whether a stale
/// one may be served when the origin fails (RFC 5861 <c>stale-if-error</c>).
/// </summary>
public static class ReuseRule
{
    /// <summary>Decides how to use <paramref name="stored"/> for a request.</summary>
    /// <param name="stored">The stored response.</param>
    /// <param name="request">The request's directives.</param>
    /// <param name="now">The cache's clock.</param>
    /// <param name="options">Heuristic settings.</param>
    /// <param name="invalidatedAt">When the object was soft-purged, if it was: it is stale from then on.</param>
    public static ReuseEvaluation Evaluate(ResponseHead stored, RequestDirectives request, DateTimeOffset now, CachePolicyOptions options, DateTimeOffset? invalidatedAt = null)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var age = FreshnessRule.CurrentAge(stored, now);
        var lifetime = FreshnessRule.Lifetime(stored, options);
        var staleness = age - lifetime;
        if (invalidatedAt is { } purged)
        {
            var sincePurge = now - purged;
            staleness = sincePurge > staleness ? sincePurge : staleness;
            lifetime = lifetime < age ? lifetime : age;
        }

        var cc = stored.Effective;
        var fresh = staleness < TimeSpan.Zero;

        ReuseEvaluation Result(ReuseDecision decision) => new(decision, age, lifetime, staleness);

        // §5.2.1.4 and §5.4: the client asked the cache to validate.
        if (request.NoCache)
        {
            return Result(ReuseDecision.RevalidateRequested);
        }

        // §5.2.2.4: no-cache on the response means validate before every reuse.
        if (cc.NoCache)
        {
            return Result(ReuseDecision.Revalidate);
        }

        var rcc = request.CacheControl;
        if (fresh)
        {
            // §5.2.1.1 max-age and §5.2.1.3 min-fresh narrow what the client accepts.
            var tooOld = rcc.MaxAge is { } maxAge && age > TimeSpan.FromSeconds(maxAge);
            var notFreshEnough = rcc.MinFresh is { } minFresh && -staleness < TimeSpan.FromSeconds(minFresh);
            return Result(tooOld || notFreshEnough ? ReuseDecision.Revalidate : ReuseDecision.Fresh);
        }

        // §4.2.4: stale responses may be served only where allowed, never against
        // must-revalidate, proxy-revalidate or s-maxage (§5.2.2.2, §5.2.2.8, §5.2.2.10).
        if (ForbidsStale(cc))
        {
            return Result(ReuseDecision.Revalidate);
        }

        // §5.2.1.2: max-stale; a request max-age still bounds the age.
        if (rcc.MaxStale is { } maxStale && staleness <= TimeSpan.FromSeconds(Math.Min(maxStale, DeltaSeconds.Max)) &&
            !(rcc.MaxAge is { } limit && age > TimeSpan.FromSeconds(limit)))
        {
            return Result(ReuseDecision.StaleAccepted);
        }

        // RFC 5861 §3: stale-while-revalidate, unless the client set its own bounds.
        if (invalidatedAt is null && cc.StaleWhileRevalidate is { } swr && staleness <= TimeSpan.FromSeconds(swr) &&
            rcc.MaxAge is null && rcc.MinFresh is null)
        {
            return Result(ReuseDecision.StaleWhileRevalidate);
        }

        return Result(ReuseDecision.Revalidate);
    }

    /// <summary>
    /// Whether a stale response may be served because the origin failed (RFC 5861 §4): within the
    /// response's or the request's <c>stale-if-error</c> window, and never against
    /// <c>must-revalidate</c> and its kin, nor <c>no-cache</c>, which RFC 9111 §4.2.4 names
    /// among the directives that forbid generating a stale response.
    /// </summary>
    public static bool CanServeStaleOnError(ResponseHead stored, RequestDirectives request, ReuseEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var cc = stored.Effective;
        if (ForbidsStale(cc) || cc.NoCache)
        {
            return false;
        }

        var window = Math.Max(cc.StaleIfError ?? -1, request.CacheControl.StaleIfError ?? -1);
        return window >= 0 && evaluation.Staleness <= TimeSpan.FromSeconds(window);
    }

    /// <summary>
    /// Whether a stale response may be served because the origin cannot be reached at all
    /// (connection refused, reset or timed out, no response): RFC 9111 §4.2.4 lets a cache that
    /// is disconnected serve stale, except against must-revalidate, proxy-revalidate,
    /// s-maxage and no-cache. <paramref name="limit"/> bounds how stale such an answer may be.
    /// </summary>
    public static bool CanServeStaleWhenDisconnected(ResponseHead stored, ReuseEvaluation evaluation, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var cc = stored.Effective;
        return !ForbidsStale(cc) && !cc.NoCache && evaluation.Staleness <= limit;
    }

    private static bool ForbidsStale(CacheControl cc) =>
        cc.MustRevalidate || cc.ProxyRevalidate || cc.SharedMaxAge is not null;
}
