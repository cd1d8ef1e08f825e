namespace EdgeFleet.Http;

/// <summary>Freshening a stored response with a 304 or a HEAD response (RFC 9111 §3.2, §4.3.4).</summary>
public static class HeaderUpdateRule
{
    // §3.2: framing fields describe the 304 itself, not the stored content, so they stay.
    private static readonly HashSet<string> Kept = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.ContentLength, HeaderNames.ContentRange, HeaderNames.TransferEncoding,
    };

    /// <summary>
    /// Whether a 304 selects the stored response (§4.3.4): its strong validator matches, or with
    /// no validator in the 304 the stored response has none either (or a matching Last-Modified).
    /// </summary>
    public static bool Selects(ResponseHead stored, ResponseHead notModified)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(notModified);
        if (notModified.ETag is { } tag)
        {
            return stored.ETag is { } storedTag && storedTag.WeakEquals(tag);
        }

        if (notModified.LastModified is { } lm)
        {
            return stored.LastModified is null || stored.LastModified == lm;
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
