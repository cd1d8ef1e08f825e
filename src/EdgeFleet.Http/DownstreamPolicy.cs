namespace EdgeFleet.Http;

/// <summary>
/// Rewrites the freshness a shared-cacheable response carries to clients (the edge's own
/// freshness comes from the origin and is unaffected). The first matching rule wins. Responses
/// that the origin marked private or no-store are never rewritten: only the origin may widen
/// who keeps a response.
/// </summary>
public sealed class DownstreamPolicy
{
    private readonly IReadOnlyList<DownstreamRule> _rules;

    public DownstreamPolicy(IReadOnlyList<DownstreamRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = rules;
    }

    /// <summary>A policy that leaves every response as the origin sent it.</summary>
    public static DownstreamPolicy None { get; } = new([]);

    /// <summary>
    /// The Cache-Control and Expires to send for a response, or null to send the origin's.
    /// </summary>
    public (string CacheControl, string? Expires)? For(ResponseHead response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (_rules.Count == 0 || response.CacheControl.Private || response.CacheControl.NoStore)
        {
            return null;
        }

        var contentType = response.Headers.GetFirst(HeaderNames.ContentType);
        foreach (var rule in _rules)
        {
            if (rule.Matches(contentType))
            {
                var maxAge = EdgeFleet.Http.CacheControl.Parse(rule.CacheControl).MaxAge;
                var lifetime = rule.Expires ?? (maxAge is { } seconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero);
                var expires = lifetime > TimeSpan.Zero ? HttpDate.Format(now + lifetime) : null;
                return (rule.CacheControl, expires);
            }
        }

        return null;
    }
}
