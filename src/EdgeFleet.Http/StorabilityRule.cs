namespace EdgeFleet.Http;

/// <summary>Whether a shared cache may store a response (RFC 9111 §3, §3.5), with the reason.</summary>
public static class StorabilityRule
{
    /// <summary>Decides for a response to a GET request (the only method whose responses we store).</summary>
    /// <param name="requestHasAuthorization">The request carried <c>Authorization</c>.</param>
    /// <param name="response">The response as received.</param>
    public static StorabilityResult Evaluate(bool requestHasAuthorization, ResponseHead response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var cc = response.Effective;
        var status = response.StatusCode;

        // §3: a final response; 206 and 304 are never stored as responses of their own.
        if (status is < 200 or 206 or 304)
        {
            return StorabilityResult.No("status code is not storable");
        }

        // §5.2.2.3: must-understand limits storage to status codes we implement, and then
        // overrides no-store.
        if (cc.MustUnderstand)
        {
            if (!StatusCodes.IsUnderstood(status))
            {
                return StorabilityResult.No("must-understand with a status code the cache does not implement");
            }
        }
        else if (cc.NoStore)
        {
            return StorabilityResult.No("no-store");
        }

        // §5.2.2.7: a shared cache must not store a private response.
        if (cc.Private)
        {
            return StorabilityResult.No("private");
        }

        // §3.5: responses to authenticated requests only with public, s-maxage or must-revalidate.
        if (requestHasAuthorization && !(cc.Public || cc.SharedMaxAge is not null || cc.MustRevalidate))
        {
            return StorabilityResult.No("request carried Authorization");
        }

        // §3: explicit freshness, public, or a heuristically cacheable status code.
        if (cc.Public || cc.MaxAge is not null || cc.SharedMaxAge is not null || response.ExpiresApplies)
        {
            return StorabilityResult.Yes("explicit freshness or public");
        }

        if (cc.HasInvalidFreshness)
        {
            // An invalid max-age still marks the intention to cache; the response is stored stale
            // (§4.2.1) so that it can be revalidated.
            return StorabilityResult.Yes("invalid freshness, stored as stale");
        }

        if (StatusCodes.IsHeuristicallyCacheable(status))
        {
            return StorabilityResult.Yes("heuristically cacheable status code");
        }

        return StorabilityResult.No("no explicit freshness and status code is not heuristically cacheable");
    }
}
