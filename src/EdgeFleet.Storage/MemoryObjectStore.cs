using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using EdgeFleet.Storage.Eviction;

namespace EdgeFleet.Storage;

/// <summary>
/// The memory tier: objects in a concurrent map, with a byte budget enforced by an eviction
/// policy. A hit is one map lookup plus the policy's lock-free hit bookkeeping; writes (fills,
/// purges, evictions) take one lock so the map, the policy and the tag index stay in step.
/// Bodies of <see cref="MemoryFileBody.MinimumBytes"/> and more are kept in memory files
/// (<see cref="MemoryFileBody"/>) where the platform allows, at most <c>maxFiles</c> of them at a
/// time (by default half the process's open-file limit, so connections never run short of
/// descriptors; 0 turns files off); past that, bodies are arrays.
/// </summary>
public sealed class MemoryObjectStore : IObjectStore
{
    private readonly ConcurrentDictionary<ulong, StoredObject> _objects = new();
    private readonly Dictionary<string, HashSet<string>> _tags = new(StringComparer.Ordinal);
    private readonly IEvictionPolicy _policy;
    private readonly Lock _writeLock = new();
    private readonly List<ulong> _victims = [];
    private long _bytes;
    private long _evictions;

    private readonly long _maxFiles;
    private long _files;

    public MemoryObjectStore(IEvictionPolicy policy, long? maxFiles = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _maxFiles = maxFiles ?? MemoryFileBody.DefaultMaxFiles;
    }

    /// <summary>How many bodies the store keeps in memory files now.</summary>
    public long Files => Volatile.Read(ref _files);

    public long Count => _objects.Count;

    public long Bytes => Volatile.Read(ref _bytes);

    public long Capacity => _policy.Capacity;

    public long Evictions => Volatile.Read(ref _evictions);

    public bool MayHold(string key) => _objects.ContainsKey(KeyHash.Of(key));

    public bool AnswersFromMemory(string key) => true;

    public bool TryGet(string key, [NotNullWhen(true)] out StoredObject? value)
    {
        var hash = KeyHash.Of(key);
        if (_objects.TryGetValue(hash, out value) && string.Equals(value.Key, key, StringComparison.Ordinal))
        {
            _policy.RecordHit(hash);
            return true;
        }

        value = null;
        return false;
    }

    public bool Put(string key, ReadOnlyMemory<byte> metadata, ReadOnlyMemory<byte> body, IReadOnlyList<string> tags)
    {
        // The file is made and filled before the lock: only the bookkeeping runs under it.
        var item = TryFileBody(key, metadata, body, tags) ?? new StoredObject(key, metadata, body, tags);
        var hash = KeyHash.Of(key);
        lock (_writeLock)
        {
            // Whatever was stored under this hash is outdated now, admitted or not.
            RemoveLocked(hash, forgetInPolicy: false);
            _victims.Clear();
            if (!_policy.TryInsert(hash, item.Size, _victims))
            {
                _policy.Remove(hash);
                LetGo(item);
                return false;
            }

            foreach (var victim in _victims)
            {
                if (RemoveLocked(victim, forgetInPolicy: false))
                {
                    _evictions++;
                }
            }

            _objects[hash] = item;
            _bytes += item.Size;
            foreach (var tag in tags)
            {
                if (!_tags.TryGetValue(tag, out var keys))
                {
                    _tags[tag] = keys = new HashSet<string>(StringComparer.Ordinal);
                }

                keys.Add(key);
            }

            return true;
        }
    }

    public bool UpdateMetadata(string key, ReadOnlyMemory<byte> metadata) =>
        Replace(key, current => current.With(metadata, invalidatedAt: null));

    public bool Invalidate(string key, DateTimeOffset at) =>
        Replace(key, current => current.With(current.Metadata, current.InvalidatedAt is { } earlier && earlier < at ? earlier : at));

    public bool Remove(string key)
    {
        var hash = KeyHash.Of(key);
        lock (_writeLock)
        {
            return _objects.TryGetValue(hash, out var current) &&
                string.Equals(current.Key, key, StringComparison.Ordinal) &&
                RemoveLocked(hash, forgetInPolicy: true);
        }
    }

    public IReadOnlyList<string> KeysWithPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var keys = new List<string>();
        foreach (var item in _objects.Values)
        {
            if (item.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                keys.Add(item.Key);
            }
        }

        return keys;
    }

    public IReadOnlyList<string> KeysWithTag(string tag)
    {
        lock (_writeLock)
        {
            return _tags.TryGetValue(tag, out var keys) ? [.. keys] : [];
        }
    }

    private bool Replace(string key, Func<StoredObject, StoredObject> change)
    {
        var hash = KeyHash.Of(key);
        lock (_writeLock)
        {
            if (!_objects.TryGetValue(hash, out var current) || !string.Equals(current.Key, key, StringComparison.Ordinal))
            {
                return false;
            }

            var next = change(current);
            _objects[hash] = next;
            _bytes += next.Size - current.Size;
            return true;
        }
    }

    /// <summary>
    /// An object whose body is a new memory file, or null (the body stays an array): too small,
    /// larger than the whole budget, no file slot left, or no file to be had. The slot is taken
    /// before the file is made, so racing fills never hold more than the limit.
    /// </summary>
    private StoredObject? TryFileBody(string key, ReadOnlyMemory<byte> metadata, ReadOnlyMemory<byte> body, IReadOnlyList<string> tags)
    {
        if (body.Length < MemoryFileBody.MinimumBytes || body.Length > _policy.Capacity)
        {
            return null;
        }

        if (Interlocked.Increment(ref _files) > _maxFiles || MemoryFileBody.TryCreate(body.Span) is not { } file)
        {
            Interlocked.Decrement(ref _files);
            return null;
        }

        return new StoredObject(key, metadata, file, tags);
    }

    /// <summary>Gives up an object's memory file, if it has one: readers that hold it finish first, then it closes.</summary>
    private void LetGo(StoredObject item)
    {
        if (item.External is MemoryFileBody file)
        {
            file.Release();
            Interlocked.Decrement(ref _files);
        }
    }

    private bool RemoveLocked(ulong hash, bool forgetInPolicy)
    {
        if (!_objects.TryRemove(hash, out var removed))
        {
            return false;
        }

        _bytes -= removed.Size;

        LetGo(removed);
        if (forgetInPolicy)
        {
            _policy.Remove(hash);
        }

        foreach (var tag in removed.Tags)
        {
            if (_tags.TryGetValue(tag, out var keys) && keys.Remove(removed.Key) && keys.Count == 0)
            {
                _tags.Remove(tag);
            }
        }

        return true;
    }
}
