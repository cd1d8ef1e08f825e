using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// Fleet-wide invalidations on a shield: applies one locally and forwards it, under the same id,
/// to every peer shield (<c>Peers</c>), retrying until each accepted it; the status it reports
/// adds up the peers' own. A peer that lost the invalidation (it restarted) gets it again.
/// </summary>
internal sealed class InvalidationService : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ChangeService _changes;
    private readonly InvalidationTracker _tracker;
    private readonly TimeProvider _time;
    private readonly ILogger<InvalidationService> _logger;
    private readonly List<string> _peers;
    private readonly FleetIdentity _identity;
    private readonly string _token;
    private readonly TimeSpan _giveUpAfter;
    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1), UseProxy = false, ConnectCallback = IoThreads.ConnectAsync }) { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Dictionary<string, PurgeRequest> _requests = new(StringComparer.Ordinal);

    public InvalidationService(ChangeService changes, InvalidationTracker tracker, TimeProvider time, IOptions<FleetOptions> options, IOptions<CacheServerOptions> cache, FleetIdentity identity, ILogger<InvalidationService> logger)
    {
        _identity = identity;
        _changes = changes;
        _tracker = tracker;
        _time = time;
        _logger = logger;
        _peers = options.Value.Peers.Select(p => p.TrimEnd('/')).ToList();
        _token = cache.Value.AdminToken ?? "";
        _giveUpAfter = (options.Value.LeaseDuration * 2) + TimeSpan.FromMinutes(1);
    }

    /// <summary>Starts a validated invalidation; <paramref name="forwardedId"/> is set when a peer sent it.</summary>
    public Invalidation Start(PurgeRequest request, string? forwardedId)
    {
        if (forwardedId is not null && _tracker.Find(forwardedId) is { } known)
        {
            return known;
        }

        var invalidation = _tracker.Create(forwardedId);

        // The operator renders the same peer list for every shield, so each skips itself.
        var peers = _peers.Where(p => !_identity.IsSelf(p)).ToList();
        if (forwardedId is null && peers.Count > 0)
        {
            lock (_requests)
            {
                // Kept to forward again to a peer that lost it; bounded like the tracker.
                if (_requests.Count >= 10_000)
                {
                    _requests.Clear();
                }

                _requests[invalidation.Id] = request;
            }

            invalidation.ExpectPeers(peers.Count);
            foreach (var peer in peers)
            {
                _ = Task.Run(() => ForwardAsync(peer, invalidation, request));
            }
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await _changes.ApplyAsync(request, invalidation, CancellationToken.None);
            }
            catch (Exception ex)
            {
                FleetLog.NoticeLoopFailed(_logger, "invalidation " + invalidation.Id, ex);
                invalidation.Seal();
            }
        });
        return invalidation;
    }

    /// <summary>The status of an invalidation, the peers' added in; null when unknown here.</summary>
    public async Task<InvalidationStatus?> StatusAsync(string id, bool localOnly, CancellationToken cancellationToken)
    {
        if (_tracker.Find(id) is not { } invalidation)
        {
            return null;
        }

        var status = invalidation.Status(_time.GetUtcNow());
        if (localOnly)
        {
            return status;
        }

        string[] peers;
        lock (invalidation.AcceptedPeers)
        {
            peers = [.. invalidation.AcceptedPeers];
        }

        foreach (var peer in peers)
        {
            var remote = await PeerStatusAsync(peer, id, cancellationToken);
            if (remote is null)
            {
                status = status with { Complete = false, DurationMs = null };
                continue;
            }

            var complete = status.Complete && remote.Complete;
            status = new InvalidationStatus(id, status.Targeted + remote.Targeted, status.Acknowledged + remote.Acknowledged, status.Expired + remote.Expired,
                complete, complete ? Math.Max(status.DurationMs ?? 0, remote.DurationMs ?? 0) : null);
        }

        return status;
    }

    private async Task<InvalidationStatus?> PeerStatusAsync(string peer, string id, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{peer}/admin/invalidations/{Uri.EscapeDataString(id)}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            request.Headers.TryAddWithoutValidation(FleetHeaders.ForwardedInvalidation, id);
            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                // The peer restarted and lost it: give it again (its broadcast period covers the rest).
                Reforward(peer, id);
                return null;
            }

            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<InvalidationStatus>(Json, cancellationToken) : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private void Reforward(string peer, string id)
    {
        PurgeRequest? request;
        lock (_requests)
        {
            _requests.TryGetValue(id, out request);
        }

        if (request is not null && _tracker.Find(id) is { } invalidation)
        {
            lock (invalidation.AcceptedPeers)
            {
                if (!invalidation.AcceptedPeers.Remove(peer))
                {
                    return;
                }
            }

            invalidation.ExpectPeers(1);
            _ = Task.Run(() => ForwardAsync(peer, invalidation, request));
        }
    }

    private async Task ForwardAsync(string peer, Invalidation invalidation, PurgeRequest body)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        var started = _time.GetUtcNow();
        while (_time.GetUtcNow() - started < _giveUpAfter)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, peer + "/admin/invalidations") { Content = JsonContent.Create(body, options: Json) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
                request.Headers.TryAddWithoutValidation(FleetHeaders.ForwardedInvalidation, invalidation.Id);
                using var response = await _http.SendAsync(request);
                if (response.IsSuccessStatusCode)
                {
                    lock (invalidation.AcceptedPeers)
                    {
                        invalidation.PeerAccepted(peer);
                    }

                    return;
                }

                FleetLog.ForwardFailed(_logger, invalidation.Id, peer, "status " + (int)response.StatusCode);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                FleetLog.ForwardFailed(_logger, invalidation.Id, peer, ex.Message);
            }

            await Task.Delay(delay, _time);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    public void Dispose() => _http.Dispose();
}
