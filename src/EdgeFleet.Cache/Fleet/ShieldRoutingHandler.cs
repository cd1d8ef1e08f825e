using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// Edge role: sends the origin client's GET and HEAD requests (fills and revalidations) to the
/// shield that owns the key instead of the origin. A shield that fails to answer within
/// <c>ShieldTimeout</c> is marked down for <c>ShieldDownFor</c> and the key goes to its next
/// shield; with every shield down the request goes to the origin (<c>FallbackToOrigin</c>) or
/// fails. The edge identifies itself with the fleet credential, records the lease the shield
/// grants, and strips every fleet field from the response before the cache sees it.
/// </summary>
internal sealed class ShieldRoutingHandler : DelegatingHandler
{
    private readonly ShieldSet _shields;
    private readonly EdgeLeaseTable _leases;
    private readonly FleetIdentity _identity;
    private readonly TimeProvider _time;
    private readonly ILogger<ShieldRoutingHandler> _logger;
    private readonly FleetOptions _options;
    private readonly string _token;
    private readonly string _originPath;
    private readonly ResiliencePipeline<HttpResponseMessage> _timeout;

    public ShieldRoutingHandler(ShieldSet shields, EdgeLeaseTable leases, FleetIdentity identity, TimeProvider time, IOptions<FleetOptions> options, IOptions<CacheServerOptions> cache, ILogger<ShieldRoutingHandler> logger)
    {
        _shields = shields;
        _leases = leases;
        _identity = identity;
        _time = time;
        _logger = logger;
        _options = options.Value;
        _token = cache.Value.AdminToken ?? "";
        _originPath = cache.Value.Origin is { } origin && Uri.TryCreate(origin.TrimEnd('/') + "/", UriKind.Absolute, out var uri) ? uri.AbsolutePath : "/";
        _timeout = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddTimeout(_options.ShieldTimeout)
            .Build();
    }

    /// <summary>Whether requests go through shields at all (edge role with shields configured).</summary>
    public bool IsActive => _options.UsesShields;

    /// <summary>Fills answered by each shield, by public URL (for tests and the fleet status).</summary>
    public Dictionary<string, long> Fills { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!IsActive || (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head) || request.RequestUri is null)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var pathAndQuery = request.RequestUri.PathAndQuery;
        var key = pathAndQuery.StartsWith(_originPath, StringComparison.Ordinal) ? "/" + pathAndQuery[_originPath.Length..] : pathAndQuery;
        var now = _time.GetUtcNow();
        var candidates = _shields.For(key).Where(s => s.IsUp(now)).ToList();
        foreach (var shield in candidates)
        {
            try
            {
                var response = await _timeout.ExecuteAsync(
                    async (ct) => await base.SendAsync(Clone(request, shield, key), ct),
                    cancellationToken);
                shield.MarkUp();
                TakeLease(response, key, shield);
                return response;
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
            {
                FleetLog.ShieldDown(_logger, shield.PublicUrl, ex.Message);
                shield.MarkDown(_time.GetUtcNow() + _options.ShieldDownFor);
            }
        }

        if (_options.FallbackToOrigin)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        throw new HttpRequestException(HttpRequestError.ConnectionError, "every shield is down and FallbackToOrigin is off");
    }

    private HttpRequestMessage Clone(HttpRequestMessage request, ShieldEndpoint shield, string key)
    {
        var clone = new HttpRequestMessage(request.Method, shield.PublicUrl + key)
        {
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
        };
        foreach (var (name, values) in request.Headers.NonValidated)
        {
            if (!FleetHeaders.IsFleetHeader(name))
            {
                clone.Headers.TryAddWithoutValidation(name, values);
            }
        }

        clone.Headers.TryAddWithoutValidation(FleetHeaders.Edge, _identity.Id);
        clone.Headers.TryAddWithoutValidation(FleetHeaders.Notify, _identity.AdminUrl);
        clone.Headers.TryAddWithoutValidation(FleetHeaders.Auth, _token);
        return clone;
    }

    private void TakeLease(HttpResponseMessage response, string key, ShieldEndpoint shield)
    {
        lock (Fills)
        {
            Fills[shield.PublicUrl] = Fills.GetValueOrDefault(shield.PublicUrl) + 1;
        }

        if (response.Headers.NonValidated.TryGetValues(FleetHeaders.Lease, out var values) &&
            LeaseHeader.Parse(values.FirstOrDefault()) is { } lease && string.Equals(lease.Key, key, StringComparison.Ordinal))
        {
            _leases.Record(key, new EdgeLease(lease.Version, lease.Expires, lease.Shield));
        }

        foreach (var name in response.Headers.NonValidated.Select(h => h.Key).Where(FleetHeaders.IsFleetHeader).ToList())
        {
            response.Headers.Remove(name);
        }
    }

}
