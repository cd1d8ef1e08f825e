namespace EdgeFleet.Operator.Reconcilers;

/// <summary>
/// Which edge pods have already purged each Invalidation (by uid), so that a later try purges only
/// the rest. Kept in the operator process only: after a restart every pod is purged again, which is
/// harmless because a purge is idempotent.
/// </summary>
internal sealed class PurgeLedger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Key, HashSet<string> Pods)> _byUid = new(StringComparer.Ordinal);

    /// <summary>The pods that answered 200 for this Invalidation so far, as a copy.</summary>
    public IReadOnlySet<string> Purged(string uid)
    {
        lock (_lock)
        {
            return _byUid.TryGetValue(uid, out var entry) ? new HashSet<string>(entry.Pods, StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal);
        }
    }

    /// <param name="uid">The Invalidation's uid: a new Invalidation of the same name starts afresh.</param>
    /// <param name="key">Its <c>namespace/name</c>, for <see cref="Forget"/>.</param>
    /// <param name="pod">The edge pod that purged it.</param>
    public void Record(string uid, string key, string pod)
    {
        lock (_lock)
        {
            if (!_byUid.TryGetValue(uid, out var entry))
            {
                entry = (key, new HashSet<string>(StringComparer.Ordinal));
                _byUid[uid] = entry;
            }

            entry.Pods.Add(pod);
        }
    }

    /// <summary>Drops what is known of the Invalidation <paramref name="key"/> (finished or deleted).</summary>
    public void Forget(string key)
    {
        lock (_lock)
        {
            foreach (var uid in _byUid.Where(e => e.Value.Key == key).Select(e => e.Key).ToList())
            {
                _byUid.Remove(uid);
            }
        }
    }
}
