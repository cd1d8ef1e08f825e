namespace EdgeFleet.Storage.Eviction;

/// <summary>
/// A FIFO queue of <see cref="EntryTable"/> records linked through <see cref="EntryTable.Entry.Next"/>,
/// with the count and bytes of its live keys. Used under the policy's lock only.
/// </summary>
internal sealed class EntryQueue(EntryTable table)
{
    private int _head = EntryTable.None;
    private int _tail = EntryTable.None;

    /// <summary>The sum of the sizes of the live keys in the queue.</summary>
    public long Bytes { get; private set; }

    /// <summary>The number of live keys in the queue.</summary>
    public int Count { get; private set; }

    /// <summary>Whether the queue holds no record at all, dead or alive.</summary>
    public bool IsEmpty => _head == EntryTable.None;

    public void Enqueue(int index)
    {
        ref var entry = ref table[index];
        entry.Next = EntryTable.None;
        if (_tail == EntryTable.None)
        {
            _head = index;
        }
        else
        {
            table[_tail].Next = index;
        }

        _tail = index;
        Bytes += entry.Size;
        Count++;
    }

    /// <summary>Takes the oldest record; a dead one was already subtracted by <see cref="Forget"/>.</summary>
    public int Dequeue()
    {
        var index = _head;
        if (index == EntryTable.None)
        {
            return index;
        }

        ref var entry = ref table[index];
        _head = entry.Next;
        if (_head == EntryTable.None)
        {
            _tail = EntryTable.None;
        }

        if ((Volatile.Read(ref entry.Meta) & EntryTable.Dead) == 0)
        {
            Bytes -= entry.Size;
            Count--;
        }

        return index;
    }

    /// <summary>Stops counting a live record that stays linked until it reaches the head.</summary>
    public void Forget(int index)
    {
        Bytes -= table[index].Size;
        Count--;
    }
}
