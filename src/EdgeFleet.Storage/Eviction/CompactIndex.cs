namespace EdgeFleet.Storage.Eviction;

/// <summary>
/// A map from 64-bit key hashes to record indexes in two flat arrays (open addressing, linear
/// probing): 12 bytes a slot, 16 to 32 bytes a key, where a concurrent dictionary spends about 50
/// on its nodes and buckets. This is what lets a disk tier index a million objects in under 100
/// bytes each. Writers are serialised by the owner's lock; readers take no lock.
/// </summary>
/// <remarks>
/// A writer fills a slot's value before its key, and a resize builds new arrays and publishes
/// them at once, so a reader sees each key with a value it was given. A reader racing a removal
/// may still find the key, and one racing a resize reads the previous arrays: the same benign
/// staleness as a lookup just before the write.
/// </remarks>
internal sealed class CompactIndex
{
    private const ulong Empty = 0;
    private const ulong Removed = ulong.MaxValue;
    private const int MinCapacity = 16;

    private Table _table = new(MinCapacity);
    private int _count;
    private int _used;

    // The two key values that mark slots are kept aside.
    private int? _emptyKeyValue;
    private int? _removedKeyValue;

    public int Count => _count + (_emptyKeyValue.HasValue ? 1 : 0) + (_removedKeyValue.HasValue ? 1 : 0);

    public bool ContainsKey(ulong key) => TryGetValue(key, out _);

    public bool TryGetValue(ulong key, out int value)
    {
        if (key is Empty or Removed)
        {
            var aside = key == Empty ? _emptyKeyValue : _removedKeyValue;
            value = aside.GetValueOrDefault();
            return aside.HasValue;
        }

        var table = Volatile.Read(ref _table);
        var mask = table.Keys.Length - 1;
        for (var slot = Slot(key, mask); ; slot = (slot + 1) & mask)
        {
            var found = Volatile.Read(ref table.Keys[slot]);
            if (found == key)
            {
                value = Volatile.Read(ref table.Values[slot]);
                return true;
            }

            if (found == Empty)
            {
                value = 0;
                return false;
            }
        }
    }

    /// <summary>Adds or replaces (under the owner's lock).</summary>
    public int this[ulong key]
    {
        set
        {
            if (key is Empty or Removed)
            {
                if (key == Empty)
                {
                    _emptyKeyValue = value;
                }
                else
                {
                    _removedKeyValue = value;
                }

                return;
            }

            if ((_used + 1) * 4 > _table.Keys.Length * 3)
            {
                Resize();
            }

            var table = _table;
            var mask = table.Keys.Length - 1;
            var free = -1;
            for (var slot = Slot(key, mask); ; slot = (slot + 1) & mask)
            {
                var found = table.Keys[slot];
                if (found == key)
                {
                    Volatile.Write(ref table.Values[slot], value);
                    return;
                }

                if (found == Removed && free < 0)
                {
                    free = slot;
                }
                else if (found == Empty)
                {
                    if (free < 0)
                    {
                        free = slot;
                        _used++;
                    }

                    Volatile.Write(ref table.Values[free], value);
                    Volatile.Write(ref table.Keys[free], key);
                    _count++;
                    return;
                }
            }
        }
    }

    /// <summary>Removes a key (under the owner's lock).</summary>
    public bool TryRemove(ulong key, out int value)
    {
        if (key is Empty or Removed)
        {
            var aside = key == Empty ? _emptyKeyValue : _removedKeyValue;
            value = aside.GetValueOrDefault();
            if (key == Empty)
            {
                _emptyKeyValue = null;
            }
            else
            {
                _removedKeyValue = null;
            }

            return aside.HasValue;
        }

        var table = _table;
        var mask = table.Keys.Length - 1;
        for (var slot = Slot(key, mask); ; slot = (slot + 1) & mask)
        {
            var found = table.Keys[slot];
            if (found == key)
            {
                value = table.Values[slot];
                Volatile.Write(ref table.Keys[slot], Removed);
                _count--;
                return true;
            }

            if (found == Empty)
            {
                value = 0;
                return false;
            }
        }
    }

    private static int Slot(ulong key, int mask) => (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & mask;

    /// <summary>Rebuilds without the removed slots, doubling when more than half the slots hold keys.</summary>
    private void Resize()
    {
        var capacity = _table.Keys.Length;
        while (_count * 2 >= capacity)
        {
            capacity *= 2;
        }

        var next = new Table(capacity);
        var mask = capacity - 1;
        var old = _table;
        for (var i = 0; i < old.Keys.Length; i++)
        {
            var key = old.Keys[i];
            if (key is Empty or Removed)
            {
                continue;
            }

            var slot = Slot(key, mask);
            while (next.Keys[slot] != Empty)
            {
                slot = (slot + 1) & mask;
            }

            next.Keys[slot] = key;
            next.Values[slot] = old.Values[i];
        }

        _used = _count;
        Volatile.Write(ref _table, next);
    }

    private sealed class Table(int capacity)
    {
        public readonly ulong[] Keys = new ulong[capacity];
        public readonly int[] Values = new int[capacity];
    }
}
