using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// Sends notices from a shield to edges: one sender per edge gathers what is queued for it during
/// a short window into one batch, posts it to the edge's <c>/admin/notices</c> with the admin
/// credential, and on failure retries the batch (with anything queued since) with exponential
/// backoff, dropping notices whose lease has ended (the edge revalidates those anyway).
/// </summary>
internal sealed class NoticeDispatcher : IDisposable
{
    private const int MaxBatch = 1000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, EdgeQueue> _queues = new(StringComparer.Ordinal);
    private readonly EdgeRegistry _edges;
    private readonly NoticeLog _log;
    private readonly FleetMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<NoticeDispatcher> _logger;
    private readonly HttpClient _http;
    private readonly FleetOptions _options;
    private readonly string _token;
    private readonly CancellationTokenSource _stopping = new();

    public NoticeDispatcher(EdgeRegistry edges, NoticeLog log, FleetMetrics metrics, TimeProvider time, IOptions<FleetOptions> options, IOptions<CacheServerOptions> cache, ILogger<NoticeDispatcher> logger)
    {
        _edges = edges;
        _log = log;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _options = options.Value;
        _token = cache.Value.AdminToken ?? "";
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2), UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30), ConnectCallback = IoThreads.ConnectAsync })
        {
            // A stopped edge accepts connections but never answers: give up on an attempt soon.
            Timeout = TimeSpan.FromSeconds(2),
        };
    }

    /// <summary>The shield's id in notices and leases.</summary>
    public string ShieldId { get; set; } = "shield";

    /// <summary>Queues a notice for an edge (the sequence number is already assigned).</summary>
    public void Enqueue(string edge, Notice notice, Invalidation? invalidation, DateTimeOffset expires)
    {
        invalidation?.Target(edge, expires);
        var queue = _queues.GetOrAdd(edge, e =>
        {
            var q = new EdgeQueue(e);
            _ = Task.Run(() => SendLoopAsync(q));
            return q;
        });
        lock (queue.Lock)
        {
            queue.Pending.Add(new PendingNotice(notice, invalidation, expires));
        }

        queue.Signal.Release();
    }

    private async Task SendLoopAsync(EdgeQueue queue)
    {
        var backoff = TimeSpan.FromMilliseconds(20);
        var cancel = _stopping.Token;
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                await queue.Signal.WaitAsync(cancel);
                await Task.Delay(_options.Notices.BatchWindow, _time, cancel);
                while (queue.Signal.CurrentCount > 0)
                {
                    queue.Signal.Wait(0, CancellationToken.None);
                }

                while (true)
                {
                    var batch = TakeLive(queue);
                    if (batch.Count == 0)
                    {
                        break;
                    }

                    if (await TrySendAsync(queue.Edge, batch, cancel))
                    {
                        Acknowledge(queue, batch);
                        backoff = TimeSpan.FromMilliseconds(20);
                        continue;
                    }

                    await Task.Delay(backoff, _time, cancel);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                FleetLog.NoticeLoopFailed(_logger, queue.Edge, ex);
            }
        }
    }

    /// <summary>Drops notices whose lease ended; returns the rest, in sequence order.</summary>
    private List<PendingNotice> TakeLive(EdgeQueue queue)
    {
        var now = _time.GetUtcNow();
        lock (queue.Lock)
        {
            var expired = queue.Pending.RemoveAll(p => p.Expires <= now);
            if (expired > 0)
            {
                _metrics.NoticesExpired(expired);
            }

            queue.Pending.Sort((a, b) => a.Notice.Seq.CompareTo(b.Notice.Seq));
            return queue.Pending.Take(MaxBatch).ToList();
        }
    }

    private void Acknowledge(EdgeQueue queue, List<PendingNotice> batch)
    {
        var now = _time.GetUtcNow();
        lock (queue.Lock)
        {
            var sent = batch.ToHashSet();
            queue.Pending.RemoveAll(sent.Contains);
        }

        foreach (var group in batch.Where(p => p.Invalidation is not null).GroupBy(p => p.Invalidation!))
        {
            group.Key.Acknowledge(queue.Edge, group.Count(), now);
        }

        _metrics.NoticesAcknowledged(batch.Count);
    }

    private async Task<bool> TrySendAsync(string edge, List<PendingNotice> batch, CancellationToken cancel)
    {
        if (_edges.UrlOf(edge) is not { } url)
        {
            return false;
        }

        var body = new NoticeBatch { Shield = ShieldId, Epoch = _log.Epoch, Notices = batch.Select(p => p.Notice).ToList() };
        using var request = new HttpRequestMessage(HttpMethod.Post, url + "/admin/notices")
        {
            Content = JsonContent.Create(body, options: Json),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        _metrics.NoticesSent(batch.Count(p => p.Notice.Kind == Notice.UpdateKind), batch.Count(p => p.Notice.Kind == Notice.InvalidateKind));
        try
        {
            using var response = await _http.SendAsync(request, cancel);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            FleetLog.NoticeRefused(_logger, edge, (int)response.StatusCode);
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
        {
            FleetLog.NoticeFailed(_logger, edge, ex.Message);
            return false;
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _http.Dispose();
        _stopping.Dispose();
    }
}
