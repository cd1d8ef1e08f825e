namespace EdgeFleet.Http;

/// <summary>
/// What the cache tells browsers and ISP proxies for one family of content types, independent
/// of how long the edge keeps the object itself (for example images for 4 weeks).
/// </summary>
public sealed record DownstreamRule
{
    /// <summary>Media types this rule covers: exact (<c>video/mp4</c>) or a wildcard subtype (<c>image/*</c>, <c>*/*</c>).</summary>
    public IReadOnlyList<string> ContentTypes { get; init; } = [];

    /// <summary>The Cache-Control value sent to clients, for example <c>public, max-age=2419200</c>.</summary>
    public string CacheControl { get; init; } = "";

    /// <summary>
    /// Also send <c>Expires</c> (for HTTP/1.0 caches on the way): this long after the response, or,
    /// when null, as long as the rule's <c>max-age</c>. <see cref="TimeSpan.Zero"/> sends none.
    /// </summary>
    public TimeSpan? Expires { get; init; }

    /// <summary>Whether the rule covers a Content-Type field value (parameters ignored).</summary>
    public bool Matches(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var media = (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim();
        foreach (var pattern in ContentTypes)
        {
            if (pattern == "*/*" || string.Equals(pattern, media, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (pattern.EndsWith("/*", StringComparison.Ordinal) &&
                media.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
