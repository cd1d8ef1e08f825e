namespace EdgeFleet.Storage.Eviction;

/// <summary>
/// The keys of a byte-bounded tier in one order, oldest first, behind one lock: the shared body of
/// the two list baselines. FIFO orders keys by insertion and LRU also moves a key on every hit.
/// </summary>
/// <remarks>
/// Per resident key: a <see cref="LinkedListNode{T}"/> (56 bytes) plus a dictionary entry and
/// bucket (28 bytes), about 84 bytes.
/// </remarks>
internal sealed class OrderedKeyList
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, LinkedListNode<(ulong Key, long Size)>> _map = [];
    private readonly LinkedList<(ulong Key, long Size)> _list = new();
    private long _used;

    public OrderedKeyList(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

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

    /// <summary>Makes a resident key the newest; a no-op for any other key.</summary>
    public void MoveToNewest(ulong key)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var node) && node != _list.First)
            {
                _list.Remove(node);
                _list.AddFirst(node);
            }
        }
    }

    public bool TryInsert(ulong key, long size, ICollection<ulong> evicted)
    {
        ArgumentNullException.ThrowIfNull(evicted);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        lock (_lock)
        {
            // A resident key offered again is a new version: it starts over as the newest.
            RemoveLocked(key);
            if (size > Capacity)
            {
                return false;
            }

            while (_used + size > Capacity && _list.Last is { } last)
            {
                _list.RemoveLast();
                _map.Remove(last.Value.Key);
                Volatile.Write(ref _used, _used - last.Value.Size);
                evicted.Add(last.Value.Key);
            }

            _map[key] = _list.AddFirst((key, size));
            Volatile.Write(ref _used, _used + size);
            return true;
        }
    }

    public void Remove(ulong key)
    {
        lock (_lock)
        {
            RemoveLocked(key);
        }
    }

    private void RemoveLocked(ulong key)
    {
        if (_map.Remove(key, out var node))
        {
            _list.Remove(node);
            Volatile.Write(ref _used, _used - node.Value.Size);
        }
    }
}
