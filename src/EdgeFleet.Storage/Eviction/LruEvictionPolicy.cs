namespace EdgeFleet.Storage.Eviction;

/// <summary>
/// Least recently used, the baseline every other policy is compared with. A hit moves the key to
/// the head of one list, so unlike the default policy it takes the lock on the hit path.
/// </summary>
public sealed class LruEvictionPolicy : IEvictionPolicy
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, LinkedListNode<(ulong Key, long Size)>> _map = [];
    private readonly LinkedList<(ulong Key, long Size)> _list = new();
    private long _used;

    public LruEvictionPolicy(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    public string Name => "lru";

    public long Capacity { get; }

    public long Used => Volatile.Read(ref _used);

    public long Count
    {
        get
        {
            lock (_lock)
            {
                return _map.Count;
            }
        }
    }

    public bool Contains(ulong key)
    {
        lock (_lock)
        {
            return _map.ContainsKey(key);
        }
    }

    public void RecordHit(ulong key)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var node))
            {
                _list.Remove(node);
                _list.AddFirst(node);
            }
        }
    }

    public bool TryInsert(ulong key, long size, ICollection<ulong> evicted)
    {
        ArgumentNullException.ThrowIfNull(evicted);
        if (size > Capacity)
        {
            Remove(key);
            return false;
        }

        lock (_lock)
        {
            if (_map.Remove(key, out var old))
            {
                _list.Remove(old);
                _used -= old.Value.Size;
            }

            while (_used + size > Capacity && _list.Last is { } last)
            {
                _list.RemoveLast();
                _map.Remove(last.Value.Key);
                _used -= last.Value.Size;
                evicted.Add(last.Value.Key);
            }

            _map[key] = _list.AddFirst((key, size));
            _used += size;
            return true;
        }
    }

    public void Remove(ulong key)
    {
        lock (_lock)
        {
            if (_map.Remove(key, out var node))
            {
                _list.Remove(node);
                _used -= node.Value.Size;
            }
        }
    }
}
