namespace EdgeFleet.Storage.Eviction;

/// <summary>
/// A doubly linked list of <see cref="LinkedEntryTable"/> records, oldest first, with the count and
/// bytes of its keys: an LRU list when hits move keys to the newest end. Used under the policy's lock.
/// </summary>
internal sealed class LinkedEntryList(LinkedEntryTable table)
{
    /// <summary>The oldest record, or <see cref="LinkedEntryTable.None"/>.</summary>
    public int Oldest { get; private set; } = LinkedEntryTable.None;

    /// <summary>The newest record, or <see cref="LinkedEntryTable.None"/>.</summary>
    public int Newest { get; private set; } = LinkedEntryTable.None;

    public long Bytes { get; private set; }

    public int Count { get; private set; }

    public void AddNewest(int index)
    {
        ref var entry = ref table[index];
        entry.Prev = Newest;
        entry.Next = LinkedEntryTable.None;
        if (Newest == LinkedEntryTable.None)
        {
            Oldest = index;
        }
        else
        {
            table[Newest].Next = index;
        }

        Newest = index;
        Bytes += entry.Size;
        Count++;
    }

    public void Unlink(int index)
    {
        ref var entry = ref table[index];
        if (entry.Prev == LinkedEntryTable.None)
        {
            Oldest = entry.Next;
        }
        else
        {
            table[entry.Prev].Next = entry.Next;
        }

        if (entry.Next == LinkedEntryTable.None)
        {
            Newest = entry.Prev;
        }
        else
        {
            table[entry.Next].Prev = entry.Prev;
        }

        entry.Prev = LinkedEntryTable.None;
        entry.Next = LinkedEntryTable.None;
        Bytes -= entry.Size;
        Count--;
    }

    public void MoveToNewest(int index)
    {
        if (index != Newest)
        {
            Unlink(index);
            AddNewest(index);
        }
    }
}
