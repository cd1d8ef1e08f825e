namespace EdgeFleet.Storage.Eviction;

/// <summary>
/// Decides which objects stay in a tier of bounded size. A policy knows keys and sizes only:
/// it never sees bytes, HTTP or files. The store asks it to admit every new object and deletes
/// whatever it names as victims; the trace replayer (<c>make hitratio</c>) drives the very same
/// code, so its figures are the store's figures.
/// </summary>
/// <remarks>
/// Threading contract: <see cref="RecordHit"/> is called on the hit path by many threads at once
/// and must be cheap and lock-free (an atomic bump of a counter or flag). The other members may
/// take a lock inside the policy; callers do not serialise them.
/// </remarks>
public interface IEvictionPolicy
{
    /// <summary>The policy's short name, as printed by the replayer (for example <c>lru</c>).</summary>
    string Name { get; }

    /// <summary>The budget, in the same unit as the sizes given to <see cref="TryInsert"/>.</summary>
    long Capacity { get; }

    /// <summary>The sum of the sizes of the resident keys.</summary>
    long Used { get; }

    /// <summary>The number of resident keys.</summary>
    long Count { get; }

    /// <summary>Whether <paramref name="key"/> is resident.</summary>
    bool Contains(ulong key);

    /// <summary>Records a hit on a resident key; a no-op for a key that is not resident.</summary>
    void RecordHit(ulong key);

    /// <summary>
    /// Offers a key that was just fetched. Returns <see langword="false"/> when the policy declines
    /// to keep it (too large, or its admission filter rejects it); the caller then does not store
    /// it. Otherwise the key is resident and every key evicted to make room is appended to
    /// <paramref name="evicted"/>, and the caller deletes those. Offering a resident key updates
    /// its size.
    /// </summary>
    bool TryInsert(ulong key, long size, ICollection<ulong> evicted);

    /// <summary>Forgets a key the store dropped for its own reasons (purge, replacement, corruption).</summary>
    void Remove(ulong key);
}
