using EdgeFleet.Http;
using Microsoft.AspNetCore.Http.Features;

namespace EdgeFleet.Cache;

/// <summary>
/// A snapshot of a client request, reduced to what may be sent to the origin (RFC 9110 §7.6):
/// hop-by-hop fields dropped, and the fields that would let a client steer the origin without
/// changing the cache key (X-Forwarded-Host and kin) removed, so they cannot poison a stored
/// response. A snapshot outlives its HttpContext, so background revalidation can use it.
/// </summary>
internal sealed class ForwardedRequest
{
    // Fields a client could use to change the origin's answer although they are not part of the
    // cache key; the cache sets its own X-Forwarded-For/-Proto.
    private static readonly HashSet<string> Untrusted = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Server",
        "X-Forwarded-Scheme", "X-Forwarded-Prefix", "Forwarded", "X-Original-URL", "X-Rewrite-URL",
        "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override", "X-Host", "X-Forwarded-For",
        "Content-Length", "Expect", "Surrogate-Capability",
    };

    // Client validators and ranges are answered by the cache itself; a fill asks for the full
    // response so that it can be stored.
    private static readonly HashSet<string> Conditional = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.IfMatch, HeaderNames.IfNoneMatch, HeaderNames.IfModifiedSince,
        HeaderNames.IfUnmodifiedSince, HeaderNames.IfRange, HeaderNames.Range,
    };

    private ForwardedRequest(string method, string target, List<KeyValuePair<string, string[]>> fields, string clientAddress, string via)
    {
        Method = method;
        Target = target;
        Fields = fields;
        ClientAddress = clientAddress;
        Via = via;
    }

    public string Method { get; }

    /// <summary>The path and query, as received.</summary>
    public string Target { get; }

    public List<KeyValuePair<string, string[]>> Fields { get; }

    public string ClientAddress { get; }

    private string Via { get; }

    public static ForwardedRequest From(HttpContext context, string target, string cacheName)
    {
        var request = context.Request;
        var connection = HopByHop.ConnectionOptions(request.Headers.Connection);
        var fields = new List<KeyValuePair<string, string[]>>(request.Headers.Count);
        foreach (var (name, values) in request.Headers)
        {
            if (!HopByHop.ShouldDrop(name, connection) && !Untrusted.Contains(name) && !name.StartsWith(':'))
            {
                fields.Add(new(name, values.ToArray()!));
            }
        }

        var protocol = request.Protocol.StartsWith("HTTP/", StringComparison.Ordinal) ? request.Protocol[5..] : request.Protocol;
        return new ForwardedRequest(request.Method, target, fields, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", $"{protocol} {cacheName}");
    }

    /// <summary>Whether the client sent Authorization (RFC 9111 §3.5).</summary>
    public bool HasAuthorization => Fields.Exists(f => string.Equals(f.Key, HeaderNames.Authorization, StringComparison.OrdinalIgnoreCase));

    /// <summary>The client's field lines of one field, for Vary and preconditions.</summary>
    public IEnumerable<string> Field(string name)
    {
        foreach (var (key, values) in Fields)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return values;
            }
        }

        return [];
    }

    /// <summary>
    /// Builds the origin request. <paramref name="fill"/> drops the client's own validators and
    /// Range; <paramref name="validators"/> adds the cache's (for a revalidation).
    /// </summary>
    public HttpRequestMessage Build(OriginClient origin, string method, bool fill, ResponseHead? validators, HttpContent? content = null)
    {
        var message = new HttpRequestMessage(new HttpMethod(method), new Uri(origin.BaseUri, Target.TrimStart('/')))
        {
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = content,
        };
        message.Headers.Host = origin.HostHeader;
        foreach (var (name, values) in Fields)
        {
            if (fill && Conditional.Contains(name))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, values) && content is not null)
            {
                content.Headers.TryAddWithoutValidation(name, values);
            }
        }

        if (validators is not null)
        {
            if (validators.ETag is { } etag)
            {
                message.Headers.TryAddWithoutValidation(HeaderNames.IfNoneMatch, etag.ToString());
            }

            if (validators.Headers.GetFirst(HeaderNames.LastModified) is { } lastModified)
            {
                message.Headers.TryAddWithoutValidation(HeaderNames.IfModifiedSince, lastModified);
            }
        }

        message.Headers.TryAddWithoutValidation(HeaderNames.Via, Via);
        message.Headers.TryAddWithoutValidation("Surrogate-Capability", SurrogateControl.Capability);
        message.Headers.TryAddWithoutValidation("X-Forwarded-For", ClientAddress);
        message.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "http");
        return message;
    }

    /// <summary>Reads a request target the way it arrived on the wire.</summary>
    public static string RawTarget(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw
            : context.Request.Path + context.Request.QueryString;
}
