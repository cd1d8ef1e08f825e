using System.Collections.Concurrent;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// When keys and prefixes last changed on this shield, for a short while. A fill that started
/// before a change of its key may carry the old version: it gets no lease, since the change's
/// notices could not have reached a lease granted after they were sent.
/// </summary>
internal sealed class RecentChanges(TimeProvider time)
{
    private static readonly TimeSpan Remembered = TimeSpan.FromMinutes(2);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _prefixes = new(StringComparer.Ordinal);

    public void Record(IEnumerable<string> keys, IEnumerable<string> prefixes)
    {
        var now = time.GetUtcNow();
        foreach (var key in keys)
        {
            _keys[key] = now;
        }

        foreach (var prefix in prefixes)
        {
            _prefixes[prefix] = now;
        }

        if (_keys.Count > 100_000)
        {
            Forget(_keys, now);
        }

        Forget(_prefixes, now);
    }

    /// <summary>Whether <paramref name="key"/> changed at or after <paramref name="since"/>.</summary>
    public bool ChangedSince(string key, DateTimeOffset since)
    {
        if (_keys.TryGetValue(key, out var at) && at >= since)
        {
            return true;
        }

        foreach (var (prefix, when) in _prefixes)
        {
            if (when >= since && key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static void Forget(ConcurrentDictionary<string, DateTimeOffset> entries, DateTimeOffset now)
    {
        foreach (var (key, at) in entries)
        {
            if (now - at > Remembered)
            {
                entries.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, at));
            }
        }
    }
}
