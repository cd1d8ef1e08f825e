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
            ? $"{Item(cacheName)}; hit; ttl={Seconds(ttl)}"
            : $"{Item(cacheName)}; hit; ttl={Seconds(ttl)}; detail={Item(detail)}";

    /// <summary>The request went forward; <paramref name="stored"/> says whether the answer was stored.</summary>
    public static string Forward(string cacheName, string fwd, int? fwdStatus, bool stored, TimeSpan? ttl = null, string? detail = null, bool collapsed = false)
    {
        var text = $"{Item(cacheName)}; fwd={fwd}";
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
            text += $"; detail={Item(detail)}";
        }

        return text;
    }

    private static long Seconds(TimeSpan t) => (long)Math.Floor(t.TotalSeconds);

    /// <summary>
    /// The cache name and detail are an sf-token or an sf-string (RFC 9211 §2, §2.8): a value
    /// that is not a valid token (RFC 8941 §3.3.4; one starting with a digit would read as an
    /// integer) is sent as a quoted string, with characters it cannot hold replaced by '?'.
    /// </summary>
    private static string Item(string value)
    {
        if (IsToken(value))
        {
            return value;
        }

        var builder = new System.Text.StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return builder.Append('"').ToString();
    }

    private static bool IsToken(string value)
    {
        if (value.Length == 0 || !(char.IsAsciiLetter(value[0]) || value[0] == '*'))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~:/".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }
}
