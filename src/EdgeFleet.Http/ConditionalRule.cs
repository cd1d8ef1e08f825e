namespace EdgeFleet.Http;

/// <summary>
/// Evaluates a GET or HEAD request's preconditions against a selected representation, in the
/// order of RFC 9110 §13.2.2, so the cache answers conditional requests itself (RFC 9111 §4.3.2).
/// </summary>
public static class ConditionalRule
{
    /// <param name="requestField">The request's field lines by name.</param>
    /// <param name="etag">The representation's entity tag, if any.</param>
    /// <param name="lastModified">The representation's Last-Modified, if any.</param>
    public static PreconditionResult Evaluate(Func<string, IEnumerable<string>> requestField, EntityTag? etag, DateTimeOffset? lastModified)
    {
        ArgumentNullException.ThrowIfNull(requestField);

        // Step 1: If-Match, strong comparison (§13.1.1).
        var ifMatch = requestField(HeaderNames.IfMatch).ToList();
        if (ifMatch.Count > 0 && EntityTag.TryParseList(ifMatch, out var matchTags, out var matchAny))
        {
            if (!(matchAny ? etag is not null : etag is { } e && matchTags.Any(t => t.StrongEquals(e))))
            {
                return PreconditionResult.Failed;
            }
        }
        else if (ifMatch.Count == 0 && TryGetSingleDate(requestField, HeaderNames.IfUnmodifiedSince, out var unmodifiedSince))
        {
            // Step 2: If-Unmodified-Since, only without If-Match (§13.1.4), and ignored when the
            // representation has no modification date.
            if (lastModified is { } lm && lm > unmodifiedSince)
            {
                return PreconditionResult.Failed;
            }
        }

        // Step 3: If-None-Match, weak comparison (§13.1.2).
        var ifNoneMatch = requestField(HeaderNames.IfNoneMatch).ToList();
        if (ifNoneMatch.Count > 0)
        {
            if (EntityTag.TryParseList(ifNoneMatch, out var tags, out var any) &&
                (any || etag is { } e && tags.Any(t => t.WeakEquals(e))))
            {
                return PreconditionResult.NotModified;
            }

            return PreconditionResult.Proceed;
        }

        // Step 4: If-Modified-Since, only without If-None-Match (§13.1.3).
        if (lastModified is { } modified &&
            TryGetSingleDate(requestField, HeaderNames.IfModifiedSince, out var since) &&
            modified <= since)
        {
            return PreconditionResult.NotModified;
        }

        return PreconditionResult.Proceed;
    }

    /// <summary>
    /// The date of an If-Modified-Since or If-Unmodified-Since field, which is ignored when it is
    /// not one valid HTTP-date; two field lines make a list, ignored too (§13.1.3, §13.1.4).
    /// </summary>
    private static bool TryGetSingleDate(Func<string, IEnumerable<string>> requestField, string name, out DateTimeOffset date)
    {
        date = default;
        var lines = requestField(name).Take(2).ToList();
        return lines.Count == 1 && HttpDate.TryParse(lines[0], out date);
    }

    /// <summary>
    /// Whether an <c>If-Range</c> condition holds (§13.1.5): a strong entity tag match, or a date
    /// equal to a strong Last-Modified. Without If-Range, it holds.
    /// </summary>
    public static bool IfRangeHolds(string? ifRange, EntityTag? etag, DateTimeOffset? lastModified, DateTimeOffset? date)
    {
        if (string.IsNullOrWhiteSpace(ifRange))
        {
            return true;
        }

        if (EntityTag.TryParse(ifRange, out var tag))
        {
            return etag is { } e && tag.StrongEquals(e);
        }

        // A Last-Modified is strong only if at least one second older than the Date (§8.8.2.2).
        return HttpDate.TryParse(ifRange, out var when) && lastModified is { } lm && lm == when &&
            date is { } d && d - lm >= TimeSpan.FromSeconds(1);
    }

    /// <summary>The header fields a 304 carries from the stored response (RFC 9110 §15.4.5).</summary>
    public static readonly IReadOnlyList<string> NotModifiedFields =
    [
        HeaderNames.CacheControl, HeaderNames.ContentLocation, HeaderNames.Date, HeaderNames.ETag,
        HeaderNames.Expires, HeaderNames.Vary, HeaderNames.LastModified,
    ];
}
