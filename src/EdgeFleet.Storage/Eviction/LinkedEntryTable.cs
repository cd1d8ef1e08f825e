namespace EdgeFleet.Storage.Eviction;

/// <summary>
/// Records of the resident keys of a policy whose queues are LRU lists, addressed by an
/// <see cref="int"/> index, with the previous and next links of the lists threaded through them.
/// Used under the policy's lock only: hits reach a record by key through the policy's hit buffer,
/// never by index, so the array may grow by copying. A record is 32 bytes.
/// </summary>
internal sealed class LinkedEntryTable
{
    public const int None = -1;

    private Entry[] _entries = new Entry[64];
    private int _allocated;
    private int _free = None;

    public ref Entry this[int index] => ref _entries[index];

    public int Allocate(ulong key, long size, int region)
    {
        int index;
        if (_free != None)
        {
            index = _free;
            _free = _entries[index].Next;
        }
        else
        {
            if (_allocated == _entries.Length)
            {
                Array.Resize(ref _entries, _entries.Length * 2);
            }

            index = _allocated++;
        }

        _entries[index] = new Entry { Key = key, Size = size, Region = region, Prev = None, Next = None };
        return index;
    }

    public void Release(int index)
    {
        _entries[index].Next = _free;
        _free = index;
    }

    internal struct Entry
    {
        public ulong Key;
        public long Size;
        public int Prev;
        public int Next;

        /// <summary>Which list of the policy holds the record.</summary>
        public int Region;
    }
}
