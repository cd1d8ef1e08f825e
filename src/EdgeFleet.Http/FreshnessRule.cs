namespace EdgeFleet.Http;

/// <summary>Freshness lifetime and age of a stored response (RFC 9111 §4.2).</summary>
public static class FreshnessRule
{
    /// <summary>
    /// The freshness lifetime (§4.2.1), in the order a shared cache must use: s-maxage, max-age,
    /// Expires minus Date, then heuristics (§4.2.2). Invalid freshness information makes the
    /// response stale (lifetime zero).
    /// </summary>
    public static TimeSpan Lifetime(ResponseHead response, CachePolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(options);
        var cc = response.Effective;
        if (response.HasInvalidAge)
        {
            return TimeSpan.Zero;
        }

        if (cc.SharedMaxAge is { } sMaxAge)
        {
            return TimeSpan.FromSeconds(sMaxAge);
        }

        if (cc.MaxAge is { } maxAge)
        {
            return TimeSpan.FromSeconds(maxAge);
        }

        if (cc.HasInvalidFreshness)
        {
            return TimeSpan.Zero;
        }

        if (response.ExpiresApplies)
        {
            if (response.Expires is not { } expires)
            {
                return TimeSpan.Zero;
            }

            var date = response.Date ?? response.ResponseTime;
            var lifetime = expires - date;
            return lifetime > TimeSpan.Zero ? lifetime : TimeSpan.Zero;
        }

        // §4.2.2: heuristics only for heuristically cacheable codes or public responses.
        if (!StatusCodes.IsHeuristicallyCacheable(response.StatusCode) && !cc.Public)
        {
            return TimeSpan.Zero;
        }

        if (response.LastModified is { } lastModified)
        {
            var date = response.Date ?? response.ResponseTime;
            var sinceModified = date - lastModified;
            if (sinceModified <= TimeSpan.Zero)
            {
                return TimeSpan.Zero;
            }

            var heuristic = TimeSpan.FromSeconds(Math.Floor(sinceModified.TotalSeconds * options.HeuristicFraction));
            return heuristic < options.MaxHeuristicLifetime ? heuristic : options.MaxHeuristicLifetime;
        }

        return options.DefaultTtl;
    }

    /// <summary>The current age of a stored response at <paramref name="now"/> (§4.2.3).</summary>
    public static TimeSpan CurrentAge(ResponseHead response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        var dateValue = response.Date ?? response.ResponseTime;
        var apparentAge = Max(TimeSpan.Zero, response.ResponseTime - dateValue);
        var responseDelay = Max(TimeSpan.Zero, response.ResponseTime - response.RequestTime);
        var correctedAgeValue = TimeSpan.FromSeconds(response.Age ?? 0) + responseDelay;
        var correctedInitialAge = Max(apparentAge, correctedAgeValue);
        var residentTime = Max(TimeSpan.Zero, now - response.ResponseTime);
        return correctedInitialAge + residentTime;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
