using System.Collections.Concurrent;
using EdgeFleet.Http;
using EdgeFleet.Storage;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// The leases an edge holds, and the hook the cache consults after <see cref="ReuseRule"/>: with
/// shields configured, an object is served as fresh while a lease on its stored version is
/// valid (the shield promises to notify), and otherwise revalidated with the shield, which
/// renews the lease. A lapsed lease is not replaced by HTTP freshness: once it lapses the shield
/// no longer tells this edge of changes, so an invalidation could complete while the edge still
/// served the old version as fresh. Without shields the hook changes nothing.
/// </summary>
internal sealed class EdgeLeaseTable
{
    private readonly ConcurrentDictionary<string, EdgeLease> _leases = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly bool _active;
    private long _lastSweep;

    public EdgeLeaseTable(IOptions<FleetOptions> options, TimeProvider time)
    {
        _time = time;
        _active = options.Value.UsesShields;
    }

    public int Count => _leases.Count;

    public bool IsActive => _active;

    public void Record(string key, EdgeLease lease)
    {
        _leases[key] = lease;
        SweepNowAndThen();
    }

    public void Drop(string key) => _leases.TryRemove(key, out _);

    public bool TryGet(string key, out EdgeLease? lease) => _leases.TryGetValue(key, out lease);

    /// <summary>Drops every lease (everything is suspect after a missed notice log).</summary>
    public void Clear() => _leases.Clear();

    /// <summary>The lease hook: adjusts a reuse evaluation of a stored object by the edge's lease on it.</summary>
    public ReuseEvaluation Adjust(string storageKey, ResponseHead head, StoredObject stored, ReuseEvaluation evaluation)
    {
        if (!_active || evaluation.Decision == ReuseDecision.RevalidateRequested)
        {
            return evaluation;
        }

        var primary = PrimaryKey(storageKey);
        var now = _time.GetUtcNow();
        _leases.TryGetValue(primary, out var lease);
        var leased = stored.InvalidatedAt is null && lease is not null && lease.Expires > now &&
            string.Equals(lease.Version, StoredVersion.VersionOf(head), StringComparison.Ordinal);
        if (leased && evaluation.Decision == ReuseDecision.Revalidate && !head.Effective.NoCache && !head.CacheControl.NoCache)
        {
            return evaluation with { Decision = ReuseDecision.Fresh, Lifetime = evaluation.Age + (lease!.Expires - now) };
        }

        if (!leased && evaluation.Decision == ReuseDecision.Fresh)
        {
            return evaluation with { Decision = ReuseDecision.Revalidate };
        }

        return evaluation;
    }

    public static string PrimaryKey(string storageKey)
    {
        var cut = storageKey.IndexOf(CacheKey.VariantSeparator, StringComparison.Ordinal);
        return cut < 0 ? storageKey : storageKey[..cut];
    }

    private void SweepNowAndThen()
    {
        // Reclaim expired leases at most once per second; an expired lease means nothing.
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastSweep);
        if (_time.GetElapsedTime(last, now) < TimeSpan.FromSeconds(1) || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        var cutoff = _time.GetUtcNow();
        foreach (var (key, lease) in _leases)
        {
            if (lease.Expires <= cutoff)
            {
                _leases.TryRemove(new KeyValuePair<string, EdgeLease>(key, lease));
            }
        }
    }
}
