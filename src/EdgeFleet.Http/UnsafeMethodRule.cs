namespace EdgeFleet.Http;

/// <summary>Invalidation on unsafe methods (RFC 9111 §4.4).</summary>
public static class UnsafeMethodRule
{
    /// <summary>Whether a method is safe (RFC 9110 §9.2.1).</summary>
    public static bool IsSafe(string method) =>
        method is "GET" or "HEAD" or "OPTIONS" or "TRACE";

    /// <summary>
    /// The primary keys to invalidate after an unsafe request got a non-error response (2xx or
    /// 3xx): the target, and the Location and Content-Location URIs when they are on the same
    /// origin (to prevent denial of service against other hosts).
    /// </summary>
    public static IReadOnlyList<string> KeysToInvalidate(string method, string targetKey, string requestAuthority, int status, string? location, string? contentLocation)
    {
        if (IsSafe(method) || status is < 200 or >= 400)
        {
            return [];
        }

        var keys = new List<string> { targetKey };
        foreach (var reference in new[] { location, contentLocation })
        {
            if (SameOriginKey(reference, targetKey, requestAuthority) is { } key && !keys.Contains(key))
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    private static string? SameOriginKey(string? reference, string targetKey, string requestAuthority)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return null;
        }

        if (!Uri.TryCreate("http://" + requestAuthority + targetKey, UriKind.Absolute, out var baseUri) ||
            !Uri.TryCreate(baseUri, reference.Trim(), out var resolved) ||
            !string.Equals(resolved.Authority, baseUri.Authority, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return resolved.PathAndQuery;
    }
}
