namespace EdgeFleet.Http;

/// <summary>What this cache knows about status codes (RFC 9110 §15, RFC 9111 §3).</summary>
public static class StatusCodes
{
    /// <summary>
    /// Status codes defined as heuristically cacheable (RFC 9110 §15.1): a response with one of
    /// them may be stored and given heuristic freshness without explicit freshness information.
    /// </summary>
    public static bool IsHeuristicallyCacheable(int status) =>
        status is 200 or 203 or 204 or 206 or 300 or 301 or 308 or 404 or 405 or 410 or 414 or 501;

    /// <summary>
    /// Status codes whose caching requirements this cache implements. <c>must-understand</c>
    /// responses with any other code are not stored (RFC 9111 §5.2.2.3). 206 and 304 are
    /// understood for validation but never stored as such: the cache keeps only full responses.
    /// </summary>
    public static bool IsUnderstood(int status) =>
        status is 200 or 203 or 204 or 300 or 301 or 302 or 303 or 307 or 308
            or 400 or 403 or 404 or 405 or 410 or 414 or 451 or 500 or 501 or 502 or 503 or 504;
}
