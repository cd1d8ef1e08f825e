namespace EdgeFleet.Http;

/// <summary>
/// The <c>Cache-Status</c> field (RFC 9211): one list member per cache, the closest to the user
/// last. This builds this cache's member.
/// </summary>
public static class CacheStatus
{
    /// <summary>§2.2 fwd reasons this cache uses.</summary>
    public static class Fwd
    {
        public const string Bypass = "bypass";
        public const string Method = "method";
        public const string UriMiss = "uri-miss";
        public const string VaryMiss = "vary-miss";
        public const string Miss = "miss";
        public const string Request = "request";
        public const string Stale = "stale";
    }

    /// <summary>A hit, with the remaining freshness (negative when served stale).</summary>
    public static string Hit(string cacheName, TimeSpan ttl, string? detail = null) =>
        detail is null
            ? $"{cacheName}; hit; ttl={Seconds(ttl)}"
            : $"{cacheName}; hit; ttl={Seconds(ttl)}; detail={detail}";

    /// <summary>The request went forward; <paramref name="stored"/> says whether the answer was stored.</summary>
    public static string Forward(string cacheName, string fwd, int? fwdStatus, bool stored, TimeSpan? ttl = null, string? detail = null, bool collapsed = false)
    {
        var text = $"{cacheName}; fwd={fwd}";
        if (fwdStatus is { } status)
        {
            text += $"; fwd-status={status}";
        }

        if (stored)
        {
            text += "; stored";
        }

        if (collapsed)
        {
            text += "; collapsed";
        }

        if (ttl is { } t)
        {
            text += $"; ttl={Seconds(t)}";
        }

        if (detail is not null)
        {
            text += $"; detail={detail}";
        }

        return text;
    }

    private static long Seconds(TimeSpan t) => (long)Math.Floor(t.TotalSeconds);
}
