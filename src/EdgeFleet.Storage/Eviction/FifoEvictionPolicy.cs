namespace EdgeFleet.Storage.Eviction;

/// <summary>
/// First in, first out: keys leave in the order they came and hits change nothing. The simplest
/// baseline, and the building block of S3-FIFO; its hit path takes no lock at all.
/// </summary>
public sealed class FifoEvictionPolicy : IEvictionPolicy
{
    private readonly OrderedKeyList _list;

    public FifoEvictionPolicy(long capacity) => _list = new OrderedKeyList(capacity);

    public string Name => "fifo";

    public long Capacity => _list.Capacity;

    public long Used => _list.Used;

    public long Count => _list.Count;

    public bool Contains(ulong key) => _list.Contains(key);

    public void RecordHit(ulong key)
    {
        // Insertion order is all FIFO keeps, so a hit has nothing to record.
    }

    public bool TryInsert(ulong key, long size, ICollection<ulong> evicted) => _list.TryInsert(key, size, evicted);

    public void Remove(ulong key) => _list.Remove(key);
}
