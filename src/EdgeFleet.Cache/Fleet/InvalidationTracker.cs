using System.Collections.Concurrent;

namespace EdgeFleet.Cache.Fleet;

/// <summary>The invalidations a shield knows, by id; old ones are forgotten after an hour (bounded).</summary>
internal sealed class InvalidationTracker(TimeProvider time)
{
    private const int MaxKept = 10_000;
    private readonly ConcurrentDictionary<string, Invalidation> _byId = new(StringComparer.Ordinal);

    public Invalidation Create(string? id = null)
    {
        id ??= Guid.NewGuid().ToString("n")[..16];
        var now = time.GetUtcNow();
        if (_byId.Count >= MaxKept)
        {
            foreach (var (key, old) in _byId)
            {
                if (now - old.Started > TimeSpan.FromHours(1) || _byId.Count >= MaxKept)
                {
                    _byId.TryRemove(key, out _);
                }
            }
        }

        return _byId.GetOrAdd(id, i => new Invalidation(i, now));
    }

    public bool Exists(string id) => _byId.ContainsKey(id);

    public Invalidation? Find(string id) => _byId.TryGetValue(id, out var inv) ? inv : null;
}
