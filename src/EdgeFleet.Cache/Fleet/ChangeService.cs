using EdgeFleet.Http;
using EdgeFleet.Storage;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// A shield's reaction to a change (an invalidation, an origin notification, a poll that saw a
/// new version): it purges its own copy, then for each changed key gives every holder of a live
/// lease an UPDATE (hot and small objects: the new version is fetched once and pushed) or an
/// INVALIDATE. During the first lease period after the shield started it knows no leases, so it
/// sends an INVALIDATE to every edge it knows instead.
/// </summary>
internal sealed class ChangeService
{
    private readonly IObjectStore _store;
    private readonly PurgeService _purge;
    private readonly LeaseRegistry _leases;
    private readonly EdgeRegistry _edges;
    private readonly NoticeLog _log;
    private readonly NoticeDispatcher _dispatcher;
    private readonly OriginClient _origin;
    private readonly TimeProvider _time;
    private readonly FleetOptions _options;
    private readonly ILogger<ChangeService> _logger;
    private readonly RecentChanges _recent;
    private readonly string _via;

    // Sequence numbers are assigned and queued together, so that every edge's queue receives its
    // notices in sequence order and an edge never skips one as already applied.
    private readonly Lock _sequencing = new();

    public ChangeService(IObjectStore store, PurgeService purge, LeaseRegistry leases, EdgeRegistry edges, NoticeLog log, NoticeDispatcher dispatcher,
        OriginClient origin, RecentChanges recent, TimeProvider time, IOptions<FleetOptions> options, IOptions<CacheServerOptions> cache, ILogger<ChangeService> logger)
    {
        _recent = recent;
        _store = store;
        _purge = purge;
        _leases = leases;
        _edges = edges;
        _log = log;
        _dispatcher = dispatcher;
        _origin = origin;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _via = "1.1 " + cache.Value.CacheName;
        Started = time.GetUtcNow();
    }

    public DateTimeOffset Started { get; }

    /// <summary>Whether leases granted before this process started may still be running.</summary>
    public bool InBroadcastPeriod => _time.GetUtcNow() < Started + _options.LeaseDuration;

    /// <summary>The primary keys a change covers, from the shield's store and its lease table.</summary>
    public HashSet<string> KeysOf(PurgeRequest change)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var url in change.Urls)
        {
            keys.Add(CacheKey.FromTarget(url)!);
        }

        foreach (var prefix in change.Prefixes)
        {
            var p = CacheKey.FromTarget(prefix)!;
            keys.UnionWith(_store.KeysWithPrefix(p).Select(EdgeLeaseTable.PrimaryKey));
            keys.UnionWith(_leases.KeysWithPrefix(p));
        }

        foreach (var tag in change.Tags)
        {
            keys.UnionWith(_store.KeysWithTag(tag).Select(EdgeLeaseTable.PrimaryKey));
            keys.UnionWith(_leases.KeysWithTag(tag));
        }

        return keys;
    }

    /// <summary>Carries out a validated change and queues its notices; the invalidation is sealed at the end.</summary>
    public async Task ApplyAsync(PurgeRequest change, Invalidation invalidation, CancellationToken cancellationToken)
    {
        var keys = KeysOf(change);
        var broadcast = InBroadcastPeriod;

        // First the record (fills already under way get no lease), then the purge, then the leases.
        _recent.Record(keys, change.Prefixes.Select(p => CacheKey.FromTarget(p)!));
        _purge.Purge(change);
        var notices = 0;
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (key, ct) =>
        {
            var holders = _leases.Holders(key);
            var update = !change.Soft && holders.Count > 0 && _leases.RequestsPerMinute(key) >= _options.Notices.UpdateMinRequestsPerMinute
                ? await FetchUpdateAsync(key, ct)
                : null;
            var sent = update is not null ? SendUpdate(key, update.Value.Head, update.Value.Body, holders, invalidation) : SendInvalidate(key, change.Soft, broadcast, invalidation);
            Interlocked.Add(ref notices, sent);
        });
        invalidation.Seal();
        FleetLog.Invalidating(_logger, invalidation.Id, keys.Count, notices, broadcast);
    }

    private int SendInvalidate(string key, bool soft, bool broadcast, Invalidation invalidation)
    {
        var holders = _leases.Revoke(key);
        var notice = new Notice { Key = key, Change = invalidation.Id, Kind = Notice.InvalidateKind, Soft = soft };
        lock (_sequencing)
        {
            return Queue(notice, holders, broadcast, invalidation);
        }
    }

    private int Queue(Notice notice, List<LeaseHolder> holders, bool broadcast, Invalidation invalidation)
    {
        if (broadcast)
        {
            // Leases granted by this shield's previous life may still run: tell every edge known,
            // each until the end of the longest lease it could hold.
            var until = Started + _options.LeaseDuration;
            var targets = _edges.All.Select(e => e.Key).Union(holders.Select(h => h.Edge), StringComparer.Ordinal).ToArray();
            _log.Append(notice, null);
            foreach (var edge in targets)
            {
                var holder = holders.Find(h => h.Edge == edge);
                _dispatcher.Enqueue(edge, notice, invalidation, holder.Expires > until ? holder.Expires : until);
            }

            return targets.Length;
        }

        if (holders.Count == 0)
        {
            return 0;
        }

        _log.Append(notice, holders.Select(h => h.Edge).ToArray());
        foreach (var holder in holders)
        {
            _dispatcher.Enqueue(holder.Edge, notice, invalidation, holder.Expires);
        }

        return holders.Count;
    }

    private int SendUpdate(string key, ResponseHead head, byte[] body, List<LeaseHolder> holders, Invalidation invalidation)
    {
        var version = StoredVersion.VersionOf(head);
        var tags = head.Headers.GetCombined(HeaderNames.SurrogateKey)?.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries) ?? [];
        var lease = _time.GetUtcNow() + _options.LeaseDuration;
        var notice = new Notice
        {
            Key = key,
            Change = invalidation.Id,
            Kind = Notice.UpdateKind,
            Version = version,
            LeaseExpires = lease.ToUnixTimeMilliseconds(),
            Status = head.StatusCode,
            Headers = head.Headers.SelectMany(f => f.Value.Select(v => new[] { f.Key, v })).ToList(),
            Body = Convert.ToBase64String(body),
        };
        foreach (var holder in holders)
        {
            _leases.Grant(key, holder.Edge, version, tags, 0);
        }

        // Complete once acknowledged, or once the lease on the old version has ended.
        lock (_sequencing)
        {
            return Queue(notice, holders, broadcast: false, invalidation);
        }
    }

    /// <summary>Fetches a key's new version for an UPDATE; null when it is not pushable (too large, not storable, Vary).</summary>
    private async Task<(ResponseHead Head, byte[] Body)?> FetchUpdateAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var requestTime = _time.GetUtcNow();
            using var response = await _origin.SendAsync(
                () =>
                {
                    var message = new HttpRequestMessage(HttpMethod.Get, new Uri(_origin.BaseUri, key.TrimStart('/')));
                    message.Headers.Host = _origin.HostHeader;
                    return message;
                },
                idempotent: true,
                "update",
                cancellationToken);
            var head = OriginResponse.Head(response, requestTime, _time.GetUtcNow(), _via);
            if (head.StatusCode != 200 || head.Vary.Count > 0 || !StorabilityRule.Evaluate(false, head).Storable ||
                response.Content.Headers.ContentLength is not { } length || length > _options.Notices.UpdateMaxBytes)
            {
                return null;
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (body.Length != length)
            {
                return null;
            }

            StoredVersion.Put(_store, key, head, body);
            return (head, body);
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            // The origin cannot give the new version now: invalidating is always correct.
            return null;
        }
    }
}
