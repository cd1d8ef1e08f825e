namespace EdgeFleet.Storage.Eviction;

/// <summary>
/// Least recently used, the baseline every other policy is compared with. A hit moves the key to
/// the head of one list, so unlike the default policy it takes the lock on the hit path.
/// </summary>
public sealed class LruEvictionPolicy : IEvictionPolicy
{
    private readonly OrderedKeyList _list;

    public LruEvictionPolicy(long capacity) => _list = new OrderedKeyList(capacity);

    public string Name => "lru";

    public long Capacity => _list.Capacity;

    public long Used => _list.Used;

    public long Count => _list.Count;

    public bool Contains(ulong key) => _list.Contains(key);

    public void RecordHit(ulong key) => _list.MoveToNewest(key);

    public bool TryInsert(ulong key, long size, ICollection<ulong> evicted) => _list.TryInsert(key, size, evicted);

    public void Remove(ulong key) => _list.Remove(key);
}
