namespace EdgeFleet.Http;

/// <summary>What the cache may do with a stored response for a request.</summary>
public enum ReuseDecision
{
    /// <summary>Fresh and acceptable to the request: serve it.</summary>
    Fresh,

    /// <summary>Stale, but the request's <c>max-stale</c> accepts it: serve it.</summary>
    StaleAccepted,

    /// <summary>Stale within <c>stale-while-revalidate</c>: serve it and revalidate in the background.</summary>
    StaleWhileRevalidate,

    /// <summary>Must be validated with the origin before it is used.</summary>
    Revalidate,

    /// <summary>The request asked to go forward (<c>no-cache</c>): validate before use.</summary>
    RevalidateRequested,
}
