using EdgeFleet.Http;
using EdgeFleet.Storage;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// The public port's first step, in both roles. Fleet fields (<c>EdgeFleet-*</c>) are removed
/// from every request before the cache sees it and from every response before it leaves, so a
/// client can neither forge a lease nor see one. A shield first reads an edge's identification,
/// which counts only with the fleet credential, and grants that edge a lease on the response.
/// </summary>
internal sealed class FleetHeaderMiddleware(
    IOptions<FleetOptions> options,
    IOptions<CacheServerOptions> cache,
    LeaseRegistry leases,
    EdgeRegistry edges,
    FleetIdentity identity,
    NoticeLog log,
    RecentChanges recent,
    TimeProvider time,
    IObjectStore store)
{
    private static readonly Func<object, Task> StripResponse = static response =>
    {
        FleetHeaders.Strip(((HttpResponse)response).Headers);
        return Task.CompletedTask;
    };

    private readonly bool _shield = options.Value.IsShield;
    private readonly string? _token = cache.Value.AdminToken;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        string? edge = null;
        if (_shield && request.Headers.TryGetValue(FleetHeaders.Edge, out var edgeValue) &&
            FleetHeaders.CredentialMatches(request.Headers[FleetHeaders.Auth], _token) &&
            (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            edge = edgeValue.ToString();
            if (request.Headers[FleetHeaders.Notify].ToString() is { Length: > 0 } notify &&
                Uri.TryCreate(notify, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                edges.Register(edge, notify);
            }
        }

        FleetHeaders.Strip(request.Headers);
        if (edge is null)
        {
            // Every client request: no closure, nothing allocated.
            context.Response.OnStarting(StripResponse, context.Response);
        }
        else
        {
            StripAndGrant(context, edge);
        }

        await next(context);
    }

    // A shield's answer to an edge. (Its own method, so the closure is made only here.)
    private void StripAndGrant(HttpContext context, string edge)
    {
        var started = time.GetUtcNow();
        var key = CacheKey.FromTarget(ForwardedRequest.RawTarget(context));
        context.Response.OnStarting(() =>
        {
            var response = context.Response;
            FleetHeaders.Strip(response.Headers);
            if (key is not null && response.StatusCode is 200 or 304)
            {
                Grant(response, edge, key, started);
            }

            return Task.CompletedTask;
        });
    }

    private void Grant(HttpResponse response, string edge, string key, DateTimeOffset started)
    {
        var cacheControl = CacheControl.Parse(response.Headers.CacheControl.ToString());
        if (cacheControl.NoStore || cacheControl.Private)
        {
            return;
        }

        var version = LeaseHeader.VersionOf(response.Headers.ETag.ToString(), response.Headers.LastModified.ToString());
        if (recent.ChangedSince(key, started) || CurrentTags(key, version) is not { } tags || leases.Grant(key, edge, version, tags, 1) is not { } expires)
        {
            return;
        }

        // A change may have come between the two looks: then its notices may have missed the
        // lease just granted, so it is taken back and not sent.
        if (recent.ChangedSince(key, started) || CurrentTags(key, version) is null)
        {
            leases.Release(key, edge);
            return;
        }

        response.Headers[FleetHeaders.Lease] = new LeaseHeader(key, version, expires, identity.Id, log.Epoch).Format();
    }

    /// <summary>
    /// The tags of a key's stored version (none when nothing is stored: the response came from the
    /// origin just now), or null when another version, or a purged one, is stored here.
    /// </summary>
    private string[]? CurrentTags(string key, string version)
    {
        if (!store.TryGet(key, out var stored))
        {
            return [];
        }

        return stored.InvalidatedAt is null && CachedEntry.Of(stored) is { IsVaryMarker: false } entry && StoredVersion.VersionOf(entry.Head!) == version
            ? [.. stored.Tags]
            : null;
    }
}
