using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// Edge role: registers with every shield and keeps doing so (a heartbeat), and catches up before
/// the pod reports ready: at start, and whenever the edge was away (its heartbeat found a long
/// gap, as after <c>kill -STOP</c>). Catching up asks each shield for the notices since the last
/// one applied; when the shield's log no longer reaches back (or the shield restarted since),
/// every stored object is marked stale.
/// </summary>
internal sealed class EdgeSync : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ShieldSet _shields;
    private readonly EdgeNoticeApplier _applier;
    private readonly EdgeSyncState _state;
    private readonly FleetIdentity _identity;
    private readonly Readiness _readiness;
    private readonly TimeProvider _time;
    private readonly ILogger<EdgeSync> _logger;
    private readonly FleetOptions _options;
    private readonly string _token;
    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1), UseProxy = false, ConnectCallback = IoThreads.ConnectAsync }) { Timeout = TimeSpan.FromSeconds(3) };
    private readonly bool _hadHistory;

    public EdgeSync(ShieldSet shields, EdgeNoticeApplier applier, EdgeSyncState state, FleetIdentity identity, Readiness readiness, TimeProvider time,
        IOptions<FleetOptions> options, IOptions<CacheServerOptions> cache, ILogger<EdgeSync> logger)
    {
        _shields = shields;
        _applier = applier;
        _state = state;
        _identity = identity;
        _readiness = readiness;
        _time = time;
        _logger = logger;
        _options = options.Value;
        _token = cache.Value.AdminToken ?? "";
        _hadHistory = state.HasHistory;
        if (_options.UsesShields)
        {
            readiness.Hold("catching-up");
        }
    }

    /// <summary>Times the edge caught up (start included).</summary>
    public int CatchUps { get; private set; }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.UsesShields)
        {
            return;
        }

        // Wait until Kestrel bound the admin listener: shields need its URL.
        while (string.IsNullOrEmpty(_identity.AdminUrl) && !stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time, stoppingToken);
        }

        await CatchUpAsync(_hadHistory, stoppingToken);
        var interval = TimeSpan.FromTicks(Math.Clamp(_options.LeaseDuration.Ticks / 4, TimeSpan.FromMilliseconds(200).Ticks, TimeSpan.FromSeconds(5).Ticks));
        var last = _time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(interval, _time, stoppingToken);
            var away = _time.GetElapsedTime(last);
            last = _time.GetTimestamp();
            if (away > interval + (_options.LeaseDuration / 2))
            {
                // The process did not run for a while (stopped, or starved): notices may have been missed.
                _readiness.Hold("catching-up");
                await CatchUpAsync(true, stoppingToken);
                last = _time.GetTimestamp();
                continue;
            }

            foreach (var shield in _shields.All)
            {
                await HelloAsync(shield, stoppingToken);
            }
        }
    }

    private async Task CatchUpAsync(bool hadHistory, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + TimeSpan.FromTicks(Math.Min(_options.LeaseDuration.Ticks, TimeSpan.FromSeconds(10).Ticks));
        var pending = _shields.All.ToList();
        while (pending.Count > 0 && _time.GetUtcNow() < deadline)
        {
            foreach (var shield in pending.ToList())
            {
                if (await CatchUpWithAsync(shield, hadHistory, cancellationToken))
                {
                    pending.Remove(shield);
                }
            }

            if (pending.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken);
            }
        }

        if (pending.Count > 0 && hadHistory)
        {
            // A shield we cannot reach may hold notices for us: trust nothing stored.
            foreach (var shield in pending)
            {
                FleetLog.MarkedAllStale(_logger, shield.PublicUrl);
            }

            _applier.MarkAllStale();
        }

        CatchUps++;
        _readiness.Release();
    }

    private async Task<bool> CatchUpWithAsync(ShieldEndpoint shield, bool hadHistory, CancellationToken cancellationToken)
    {
        var hello = await HelloAsync(shield, cancellationToken);
        if (hello is null)
        {
            return false;
        }

        var known = _state.Find(hello.Shield);
        if (known is null || known.Epoch.Length == 0)
        {
            if (hadHistory)
            {
                // Notices from this shield were never recorded (or the record is gone): they could have been missed.
                FleetLog.MarkedAllStale(_logger, hello.Shield);
                _applier.MarkAllStale();
            }

            _applier.Reset(hello.Shield, hello.Epoch, hello.Seq);
            return true;
        }

        if (!string.Equals(known.Epoch, hello.Epoch, StringComparison.Ordinal))
        {
            FleetLog.MarkedAllStale(_logger, hello.Shield);
            _applier.MarkAllStale();
            _applier.Reset(hello.Shield, hello.Epoch, hello.Seq);
            return true;
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{shield.AdminUrl}/admin/notices?since={known.LastSeq}&edge={Uri.EscapeDataString(_identity.Id)}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Gone)
            {
                FleetLog.MarkedAllStale(_logger, hello.Shield);
                _applier.MarkAllStale();
                _applier.Reset(hello.Shield, hello.Epoch, hello.Seq);
                return true;
            }

            response.EnsureSuccessStatusCode();
            var batch = await response.Content.ReadFromJsonAsync<NoticeBatch>(Json, cancellationToken);
            if (batch is null || NoticeBatch.Validate(batch) is not null)
            {
                return false;
            }

            var applied = _applier.Apply(batch);
            _applier.Reset(hello.Shield, hello.Epoch, Math.Max(hello.Seq, batch.Notices.Count > 0 ? batch.Notices[^1].Seq : 0));
            FleetLog.CaughtUp(_logger, hello.Shield, applied);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            FleetLog.CatchUpFailed(_logger, shield.PublicUrl, ex.Message);
            return false;
        }
    }

    private async Task<ShieldHello?> HelloAsync(ShieldEndpoint shield, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, shield.AdminUrl + "/admin/fleet/edges")
            {
                Content = JsonContent.Create(new EdgeHello { Edge = _identity.Id, Notify = _identity.AdminUrl }, options: Json),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            using var response = await _http.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<ShieldHello>(Json, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            FleetLog.CatchUpFailed(_logger, shield.PublicUrl, ex.Message);
            return null;
        }
    }
}
