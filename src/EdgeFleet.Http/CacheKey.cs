namespace EdgeFleet.Http;

/// <summary>
/// The primary cache key (RFC 9111 §2): the target URI. A cache pod serves one origin and sends it
/// one fixed Host, so the key is the request target's path and query, exactly as received.
/// Nothing else of the request (Host, X-Forwarded-*, cookies) enters it, which is also why those
/// fields are never forwarded in a way that could change the stored response.
/// </summary>
public static class CacheKey
{
    /// <summary>Separates a primary key from a Vary secondary key in a storage key.</summary>
    public const char VariantSeparator = '\u0001';

    /// <summary>
    /// The primary key of a request target. Absolute-form targets (<c>http://host/path</c>) are
    /// reduced to their path and query; returns null for a target that is neither.
    /// </summary>
    public static string? FromTarget(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.StartsWith('/'))
        {
            return target;
        }

        if (Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri.PathAndQuery;
        }

        return null;
    }

    /// <summary>The storage key of one variant of a primary key.</summary>
    public static string ForVariant(string primaryKey, string secondaryKey) =>
        secondaryKey.Length == 0 ? primaryKey : string.Concat(primaryKey, VariantSeparator.ToString(), secondaryKey);
}
