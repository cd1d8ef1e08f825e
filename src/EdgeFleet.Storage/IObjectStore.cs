using System.Diagnostics.CodeAnalysis;

namespace EdgeFleet.Storage;

/// <summary>
/// Bytes in and out by key, with tags. Knows nothing of HTTP: keys are strings the caller builds,
/// metadata is opaque. Admission and eviction are decided by an eviction policy.
/// </summary>
public interface IObjectStore
{
    /// <summary>Looks an object up and records the hit with the eviction policy.</summary>
    bool TryGet(string key, [NotNullWhen(true)] out StoredObject? value);

    /// <summary>
    /// Whether an object may be stored under <paramref name="key"/>, from what the store keeps in
    /// memory (no file is read, no hit recorded); a 64-bit hash collision may say yes wrongly.
    /// </summary>
    bool MayHold(string key);

    /// <summary>
    /// Whether <see cref="TryGet"/> for <paramref name="key"/> is answered from memory without
    /// reading a file (true also when the key is known to be absent). A caller on a thread that
    /// must not block, such as an I/O event loop, moves elsewhere first when this is false.
    /// </summary>
    bool AnswersFromMemory(string key);

    /// <summary>
    /// Stores (or replaces) an object. Returns false when the policy declines it (too large, or
    /// not admitted); a replaced object is then removed as well, since it is outdated.
    /// </summary>
    bool Put(string key, ReadOnlyMemory<byte> metadata, ReadOnlyMemory<byte> body, IReadOnlyList<string> tags);

    /// <summary>
    /// Replaces the metadata of a stored object after it was validated, keeping its body and tags;
    /// a soft purge mark is cleared, since the object is now known to be current.
    /// </summary>
    bool UpdateMetadata(string key, ReadOnlyMemory<byte> metadata);

    /// <summary>Marks an object stale from <paramref name="at"/> on (a soft purge).</summary>
    bool Invalidate(string key, DateTimeOffset at);

    /// <summary>Removes an object.</summary>
    bool Remove(string key);

    /// <summary>The keys that start with <paramref name="prefix"/> (ordinal).</summary>
    IReadOnlyList<string> KeysWithPrefix(string prefix);

    /// <summary>The keys of objects carrying <paramref name="tag"/>.</summary>
    IReadOnlyList<string> KeysWithTag(string tag);

    /// <summary>The number of objects stored.</summary>
    long Count { get; }

    /// <summary>The bytes charged against the budget.</summary>
    long Bytes { get; }

    /// <summary>The budget in bytes.</summary>
    long Capacity { get; }

    /// <summary>Objects removed to make room since start.</summary>
    long Evictions { get; }
}
