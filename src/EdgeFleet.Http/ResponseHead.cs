namespace EdgeFleet.Http;

/// <summary>
/// A stored response's status line and header fields, with the times the cache sent the request
/// and received the response (RFC 9111 §4.2.3), and the fields the cache rules need parsed once.
/// Treat it as immutable once built: a 304 update builds a new one (<see cref="HeaderUpdateRule"/>).
/// </summary>
public sealed class ResponseHead
{
    public ResponseHead(int statusCode, HeaderFields headers, DateTimeOffset requestTime, DateTimeOffset responseTime)
    {
        ArgumentNullException.ThrowIfNull(headers);
        StatusCode = statusCode;
        Headers = headers;
        RequestTime = requestTime;
        ResponseTime = responseTime;

        CacheControl = CacheControl.Parse(headers[HeaderNames.CacheControl]);
        CdnCacheControl = CacheControl.Parse(headers[HeaderNames.CdnCacheControl]);
        SurrogateControl = EdgeFleet.Http.SurrogateControl.Parse(headers[HeaderNames.SurrogateControl]);
        Date = HttpDate.TryParse(headers.GetFirst(HeaderNames.Date), out var date) ? date : null;
        LastModified = HttpDate.TryParse(headers.GetFirst(HeaderNames.LastModified), out var lm) ? lm : null;
        ETag = EntityTag.TryParse(headers.GetFirst(HeaderNames.ETag), out var etag) ? etag : null;
        HasExpires = headers.TryGet(HeaderNames.Expires, out var expires) && expires.Length > 0;

        // §5.3: an invalid Expires (such as "0") means "already expired".
        Expires = HasExpires && HttpDate.TryParse(expires[0], out var exp) ? exp : null;

        // §5.1: a list-based Age uses its first member; an invalid Age is ignored.
        Age = DeltaSeconds.TryParse(FirstMember(headers.GetFirst(HeaderNames.Age)), out var age) ? age : null;

        // An Age whose first member is not a delta-seconds (a sign, a fraction, parameters), or
        // that arrives as several field lines or a spaced-out list, comes from a broken hop: its
        // age cannot be trusted, so the response is stored as stale and revalidated before reuse
        // (as the HTTP caching conformance suite expects). A compact list ("0,7200") uses its
        // first member, as §5.1 says.
        HasInvalidAge = headers.TryGet(HeaderNames.Age, out var ageLines) && ageLines.Length > 0 &&
            (ageLines.Length > 1 || ageLines[0].AsSpan().Trim(" \t").ContainsAny(' ', '\t') || Age is null);
        Vary = VaryRule.ParseNames(headers[HeaderNames.Vary]);
    }

    public int StatusCode { get; }
    public HeaderFields Headers { get; }
    public DateTimeOffset RequestTime { get; }
    public DateTimeOffset ResponseTime { get; }

    public CacheControl CacheControl { get; }

    /// <summary>The targeted field for this cache (RFC 9213), when the origin sent one.</summary>
    public CacheControl CdnCacheControl { get; }

    /// <summary>
    /// The directives that govern this cache: <c>CDN-Cache-Control</c> when present, which then
    /// replaces <c>Cache-Control</c> entirely for this cache (RFC 9213 §2.1).
    /// </summary>
    public CacheControl Effective => CdnCacheControl.IsPresent ? CdnCacheControl : SurrogateControl.IsPresent ? SurrogateControl : CacheControl;

    /// <summary>The <c>Surrogate-Control</c> directives that target this cache (see <see cref="EdgeFleet.Http.SurrogateControl"/>).</summary>
    public CacheControl SurrogateControl { get; }

    /// <summary>The Age field was present but not a single valid delta-seconds: the response is treated as stale.</summary>
    public bool HasInvalidAge { get; }

    public DateTimeOffset? Date { get; }
    public DateTimeOffset? LastModified { get; }
    public EntityTag? ETag { get; }
    public bool HasExpires { get; }
    public DateTimeOffset? Expires { get; }

    /// <summary>
    /// Whether <c>Expires</c> counts for this cache: a cache that uses <c>CDN-Cache-Control</c>
    /// ignores Expires as well as Cache-Control (RFC 9213 §2.1).
    /// </summary>
    internal bool ExpiresApplies => HasExpires && !CdnCacheControl.IsPresent && !SurrogateControl.IsPresent;
    public long? Age { get; }

    /// <summary>The field names of <c>Vary</c>, lower-cased; <c>*</c> when it is present.</summary>
    public IReadOnlyList<string> Vary { get; }

    /// <summary>Whether the response has a validator to revalidate it with.</summary>
    public bool HasValidator => ETag is not null || LastModified is not null;

    private static ReadOnlySpan<char> FirstMember(string? value)
    {
        var span = value.AsSpan();
        var comma = span.IndexOf(',');
        return (comma < 0 ? span : span[..comma]).Trim(" \t");
    }
}
