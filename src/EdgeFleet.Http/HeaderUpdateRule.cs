namespace EdgeFleet.Http;

/// <summary>Freshening a stored response with a 304 or a HEAD response (RFC 9111 §3.2, §4.3.4).</summary>
public static class HeaderUpdateRule
{
    // §3.2: framing fields describe the 304 itself, not the stored content, so they stay; so do
    // the fields that describe the stored bytes (their coding, digest and validator), which a
    // 304 cannot change without a new body.
    private static readonly HashSet<string> Kept = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.ContentLength, HeaderNames.ContentRange, HeaderNames.TransferEncoding,
        "Content-Encoding", "Content-MD5", HeaderNames.ETag,
    };

    /// <summary>
    /// Whether a 304 selects the stored response (§4.3.4): a strong entity tag selects only the
    /// same strong tag, a weak one a tag that matches weakly, a Last-Modified only the same
    /// Last-Modified. A 304 without validators answers the cache's own conditional request for
    /// this one stored response (the cache validates one stored response at a time), so it
    /// selects that response: §4.3.4's "no validator" case assumes the cache cannot tell which
    /// stored response the origin meant, which does not arise here.
    /// </summary>
    public static bool Selects(ResponseHead stored, ResponseHead notModified)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(notModified);
        if (notModified.ETag is { } tag)
        {
            return stored.ETag is { } storedTag && (tag.IsWeak ? storedTag.WeakEquals(tag) : storedTag.StrongEquals(tag));
        }

        if (notModified.LastModified is { } lm)
        {
            return stored.LastModified == lm;
        }

        return true;
    }

    /// <summary>
    /// A new head: the stored fields replaced by those of <paramref name="update"/>, except framing
    /// and hop-by-hop fields, with the update's request and response times (the age restarts).
    /// </summary>
    public static ResponseHead Apply(ResponseHead stored, ResponseHead update)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(update);
        var headers = stored.Headers.Clone();
        var connection = HopByHop.ConnectionOptions(update.Headers[HeaderNames.Connection]);
        foreach (var (name, values) in update.Headers)
        {
            if (!Kept.Contains(name) && !HopByHop.ShouldDrop(name, connection))
            {
                headers.Set(name, values);
            }
        }

        // The 304 may carry no Age; a stale Age from the stored response must not linger.
        if (!update.Headers.Contains(HeaderNames.Age))
        {
            headers.Remove(HeaderNames.Age);
        }

        return new ResponseHead(stored.StatusCode, headers, update.RequestTime, update.ResponseTime);
    }
}
