namespace EdgeFleet.Storage.Eviction;

/// <summary>
/// S3-FIFO (Yang et al., SOSP 2023), measured in bytes: new keys go to a small probation FIFO;
/// a key hit while there moves to the main FIFO when it reaches the head, the others leave and
/// are remembered in a ghost queue; a key missed while still a ghost goes straight to main. Main
/// re-queues a key with hits left instead of evicting it (a CLOCK with a small counter). Most
/// one-hit wonders thus only ever pass through the small queue. <see cref="S3FifoOptions"/> adds
/// optional refinements: a frequency sketch, rules for objects large for the budget, and a
/// correlation window in which hits do not count.
/// </summary>
/// <remarks>
/// A hit is a lock-free index read and a compare-and-swap on the key's counter (plus four on
/// the sketch's counters when it is on, and with the correlation window one read of the admission
/// clock, stamped into the same word as the counter); nothing moves. Everything else runs under
/// one lock. Memory per resident key: 16 to 32 bytes of <see cref="CompactIndex"/>, the 24-byte
/// record, <see cref="S3FifoOptions.GhostFraction"/> ghosts of 24 bytes once keys are evicted and,
/// with the sketch, half a byte per <see cref="S3FifoOptions.SketchCountersPerKey"/>. Measured
/// with a million keys and no evictions yet (<c>EdgeFleet.Bench.DiskIndex policy</c>): 66 bytes
/// per key for the default (16 of them sketch); the ghosts of a full cache add up to 6 more. The
/// disk tier uses this policy as its index, so this is its memory per object.
/// </remarks>
public sealed class S3FifoEvictionPolicy : IEvictionPolicy
{
    private readonly Lock _lock = new();
    private readonly CompactIndex _index = new();
    private readonly EntryTable _table = new();
    private readonly EntryQueue _small;
    private readonly EntryQueue _main;
    private readonly GhostQueue _ghosts = new();
    private readonly S3FifoOptions _options;
    private readonly long _smallCapacity;
    private readonly long _largeObjectLimit;
    private FrequencySketch? _sketch;
    private long _used;

    // Admissions so far, modulo the stamp's range: the clock of the correlation window.
    private int _admissions;

    private int _count;

    public S3FifoEvictionPolicy(long capacity, S3FifoOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _options = options ?? new S3FifoOptions();
        _options.Validate();
        Capacity = capacity;
        _small = new EntryQueue(_table);
        _main = new EntryQueue(_table);
        _smallCapacity = Math.Max(1, (long)(capacity * _options.SmallQueueFraction));
        _largeObjectLimit = _options.LargeObjectFraction > 0
            ? Math.Max(1, (long)(_smallCapacity * _options.LargeObjectFraction))
            : long.MaxValue;
        _sketch = _options.UsesSketch ? new FrequencySketch(Math.Min(capacity, 4096), _options.SketchCountersPerKey) : null;
    }

    public string Name => _options.Name;

    public long Capacity { get; }

    public long Used => Volatile.Read(ref _used);

    public long Count => Volatile.Read(ref _count);

    public bool Contains(ulong key) => _index.ContainsKey(key);

    public void RecordHit(ulong key)
    {
        if (_index.TryGetValue(key, out var index)
            && (_options.CorrelationWindow == 0
                || !_table.StampedWithin(index, Volatile.Read(ref _admissions), _options.CorrelationWindow)))
        {
            _table.Bump(index, _options.MaxFrequency);
        }

        Volatile.Read(ref _sketch)?.Increment(key);
    }

    public bool TryInsert(ulong key, long size, ICollection<ulong> evicted)
    {
        ArgumentNullException.ThrowIfNull(evicted);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        lock (_lock)
        {
            // A resident key offered again keeps its queue and its hits, with the new size.
            var frequency = 0;
            var toMain = false;
            var wasResident = _index.TryGetValue(key, out var old);
            if (wasResident)
            {
                frequency = _table.Frequency(old);
                toMain = (Volatile.Read(ref _table[old].Meta) & EntryTable.InMain) != 0;
                RemoveLocked(key);
            }

            if (size > Capacity)
            {
                return false;
            }

            toMain |= _ghosts.Remove(key);
            if (_sketch is { } sketch)
            {
                sketch.Increment(key);
                if (sketch.NeedsAging)
                {
                    sketch.Age();
                }

                toMain |= _options.SketchMainThreshold > 0 && sketch.Estimate(key) >= _options.SketchMainThreshold;
            }

            if (!toMain && !wasResident && size > _largeObjectLimit)
            {
                // Too big to pass through probation without flushing it: wait for a second miss.
                _ghosts.Add(key, GhostLimit());
                return false;
            }

            while (_used + size > Capacity)
            {
                EvictOne(evicted);
            }

            var admission = (_admissions + 1) & EntryTable.StampMask;
            Volatile.Write(ref _admissions, admission);
            var meta = frequency | (toMain ? EntryTable.InMain : 0) | (admission << EntryTable.StampShift);
            var index = _table.Allocate(key, size, meta);
            (toMain ? _main : _small).Enqueue(index);
            _index[key] = index;
            Volatile.Write(ref _count, _count + 1);
            Volatile.Write(ref _used, _used + size);
            if (_sketch is { } current && _count > current.ExpectedKeys)
            {
                // Sized by keys, not bytes, so it grows with the population, keeping its counts.
                Volatile.Write(ref _sketch, current.Grow());
            }

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
        if (_index.TryRemove(key, out var index))
        {
            Volatile.Write(ref _count, _count - 1);
            // The record stays linked in its queue, dead, and is recycled when it reaches the head.
            var inMain = (Volatile.Read(ref _table[index].Meta) & EntryTable.InMain) != 0;
            (inMain ? _main : _small).Forget(index);
            _table.SetBits(index, EntryTable.Dead, EntryTable.Dead);
            Volatile.Write(ref _used, _used - _table[index].Size);
        }
    }

    private int GhostLimit() => (int)Math.Min(int.MaxValue, _count * _options.GhostFraction);

    private void EvictOne(ICollection<ulong> evicted)
    {
        if ((_small.Bytes > _smallCapacity || _main.Count == 0) && EvictFromSmall(evicted))
        {
            return;
        }

        EvictFromMain(evicted);
    }

    /// <summary>Evicts the oldest small key that was not hit, promoting the others on the way.</summary>
    private bool EvictFromSmall(ICollection<ulong> evicted)
    {
        while (true)
        {
            var index = _small.Dequeue();
            if (index == EntryTable.None)
            {
                return false;
            }

            if (IsDead(index))
            {
                _table.Release(index);
                continue;
            }

            if (_table.Frequency(index) >= _options.PromotionThreshold + (IsLarge(index) ? 1 : 0))
            {
                _table.SetBits(index, EntryTable.FrequencyMask | EntryTable.InMain, EntryTable.InMain);
                _main.Enqueue(index);
                continue;
            }

            var key = _table[index].Key;
            Evict(index, evicted);
            _ghosts.Add(key, GhostLimit());
            return true;
        }
    }

    /// <summary>Evicts the oldest main key without hits left, re-queueing the others with one hit less.</summary>
    private void EvictFromMain(ICollection<ulong> evicted)
    {
        while (true)
        {
            var index = _main.Dequeue();
            if (index == EntryTable.None)
            {
                // Only reachable when main is empty and small held dead records alone.
                EvictFromSmall(evicted);
                return;
            }

            if (IsDead(index))
            {
                _table.Release(index);
                continue;
            }

            var frequency = _table.Frequency(index);
            if (frequency > 0)
            {
                var cost = IsLarge(index) ? Math.Min(2, frequency) : 1;
                Interlocked.Add(ref _table[index].Meta, -cost);
                _main.Enqueue(index);
                continue;
            }

            Evict(index, evicted);
            return;
        }
    }

    private bool IsLarge(int index)
    {
        var count = _count;
        return _options.LargeObjectPenaltyFactor > 0 && count > 0
            && _table[index].Size > _options.LargeObjectPenaltyFactor * _used / count;
    }

    private bool IsDead(int index) => (Volatile.Read(ref _table[index].Meta) & EntryTable.Dead) != 0;

    private void Evict(int index, ICollection<ulong> evicted)
    {
        ref var entry = ref _table[index];
        _index.TryRemove(entry.Key, out _);
        Volatile.Write(ref _count, _count - 1);
        Volatile.Write(ref _used, _used - entry.Size);
        evicted.Add(entry.Key);
        _table.Release(index);
    }
}
