using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// A shield's leases: per key, which edges hold which version until when. Bounded (no new lease
/// beyond <see cref="NoticeOptions.MaxLeases"/>), expired holders are reclaimed by a sweep, and
/// the whole table starts empty after a restart, which the broadcast period covers.
/// </summary>
internal sealed class LeaseRegistry
{
    private readonly ConcurrentDictionary<string, KeyLeases> _keys = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _maxLeases;
    private int _count;

    public LeaseRegistry(IOptions<FleetOptions> options, TimeProvider time)
    {
        _time = time;
        _maxLeases = options.Value.Notices.MaxLeases;
        LeaseDuration = options.Value.LeaseDuration;
    }

    public TimeSpan LeaseDuration { get; }

    /// <summary>Leases recorded, expired ones included until the next sweep.</summary>
    public int Count => Volatile.Read(ref _count);

    public int KeyCount => _keys.Count;

    /// <summary>Grants (or renews) <paramref name="edge"/>'s lease on a key; null when the table is full.</summary>
    public DateTimeOffset? Grant(string key, string edge, string version, string[] tags, int requests)
    {
        var now = _time.GetUtcNow();
        var expires = now + LeaseDuration;
        var record = _keys.GetOrAdd(key, static _ => new KeyLeases());
        lock (record)
        {
            CountRequests(record, now, requests);
            if (tags.Length > 0)
            {
                record.Tags = tags;
            }

            var i = record.Holders.FindIndex(h => string.Equals(h.Edge, edge, StringComparison.Ordinal));
            if (i >= 0)
            {
                record.Holders[i] = new LeaseHolder(edge, version, expires);
                return expires;
            }

            if (Volatile.Read(ref _count) >= _maxLeases)
            {
                return null;
            }

            record.Holders.Add(new LeaseHolder(edge, version, expires));
            Interlocked.Increment(ref _count);
            return expires;
        }
    }

    /// <summary>The holders of a key whose lease has not expired.</summary>
    public List<LeaseHolder> Holders(string key)
    {
        var now = _time.GetUtcNow();
        if (!_keys.TryGetValue(key, out var record))
        {
            return [];
        }

        lock (record)
        {
            return record.Holders.FindAll(h => h.Expires > now);
        }
    }

    /// <summary>Ends the leases of a key (an INVALIDATE was sent); returns the live holders it had.</summary>
    public List<LeaseHolder> Revoke(string key)
    {
        var live = Holders(key);
        if (_keys.TryGetValue(key, out var record))
        {
            lock (record)
            {
                Interlocked.Add(ref _count, -record.Holders.Count);
                record.Holders.Clear();
            }
        }

        return live;
    }

    /// <summary>Takes back one edge's lease on a key.</summary>
    public void Release(string key, string edge)
    {
        if (_keys.TryGetValue(key, out var record))
        {
            lock (record)
            {
                Interlocked.Add(ref _count, -record.Holders.RemoveAll(h => string.Equals(h.Edge, edge, StringComparison.Ordinal)));
            }
        }
    }

    /// <summary>Requests for a key in about the last minute.</summary>
    public int RequestsPerMinute(string key)
    {
        if (!_keys.TryGetValue(key, out var record))
        {
            return 0;
        }

        lock (record)
        {
            CountRequests(record, _time.GetUtcNow(), 0);
            return record.ThisMinute + record.LastMinute;
        }
    }

    public IEnumerable<string> KeysWithPrefix(string prefix) =>
        _keys.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal));

    public IEnumerable<string> KeysWithTag(string tag) =>
        _keys.Where(p => p.Value.Tags.Contains(tag, StringComparer.Ordinal)).Select(p => p.Key);

    /// <summary>Keys with at least one live holder (for adaptive polling).</summary>
    public IEnumerable<string> LeasedKeys()
    {
        var now = _time.GetUtcNow();
        foreach (var (key, record) in _keys)
        {
            lock (record)
            {
                if (!record.Holders.Exists(h => h.Expires > now))
                {
                    continue;
                }
            }

            yield return key;
        }
    }

    /// <summary>Removes expired holders, and keys with neither holders nor recent requests.</summary>
    public int Sweep()
    {
        var now = _time.GetUtcNow();
        var removed = 0;
        foreach (var (key, record) in _keys)
        {
            lock (record)
            {
                var n = record.Holders.RemoveAll(h => h.Expires <= now);
                removed += n;
                Interlocked.Add(ref _count, -n);
                CountRequests(record, now, 0);
                if (record.Holders.Count == 0 && record.ThisMinute + record.LastMinute == 0)
                {
                    _keys.TryRemove(new KeyValuePair<string, KeyLeases>(key, record));
                }
            }
        }

        return removed;
    }

    private static void CountRequests(KeyLeases record, DateTimeOffset now, int requests)
    {
        var minute = now.ToUnixTimeSeconds() / 60;
        if (minute != record.Minute)
        {
            record.LastMinute = minute == record.Minute + 1 ? record.ThisMinute : 0;
            record.ThisMinute = 0;
            record.Minute = minute;
        }

        record.ThisMinute += requests;
    }
}
