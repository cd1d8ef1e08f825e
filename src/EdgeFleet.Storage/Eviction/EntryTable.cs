namespace EdgeFleet.Storage.Eviction;

/// <summary>
/// Fixed-size records of the resident keys of a queue-based policy, addressed by an
/// <see cref="int"/> index, with the links of the FIFO queues threaded through them.
/// </summary>
/// <remarks>
/// Records live in chunks that are never moved or copied, so a hit that looked an index up without
/// the policy's lock bumps the record in place and can never be lost to a resize. All members but
/// <see cref="Bump"/> are called under the policy's lock. A record is 24 bytes.
/// </remarks>
internal sealed class EntryTable
{
    public const int None = -1;

    /// <summary>The low bits of <see cref="Entry.Meta"/>: how often the key was hit, saturating.</summary>
    public const int FrequencyMask = 0b111;

    /// <summary>Set while the key sits in the main queue rather than the small one.</summary>
    public const int InMain = 1 << 3;

    /// <summary>Set once the key left the tier while its record still sits in a queue.</summary>
    public const int Dead = 1 << 4;

    /// <summary>
    /// The bits of <see cref="Entry.Meta"/> above the flags hold a stamp the policy gives a record
    /// when it allocates it (a count modulo 2^<see cref="StampBits"/>), so that hits can tell how
    /// long ago the key came in without another field.
    /// </summary>
    public const int StampShift = 5;

    /// <summary>The width of the stamp.</summary>
    public const int StampBits = 32 - StampShift;

    /// <summary>The values a stamp can take, as a mask.</summary>
    public const int StampMask = (1 << StampBits) - 1;

    private const int ChunkBits = 12;
    private const int ChunkSize = 1 << ChunkBits;

    private Entry[][] _chunks = [];
    private int _allocated;
    private int _free = None;

    public ref Entry this[int index] => ref _chunks[index >> ChunkBits][index & (ChunkSize - 1)];

    public int Allocate(ulong key, long size, int meta)
    {
        int index;
        if (_free != None)
        {
            index = _free;
            _free = this[index].Next;
        }
        else
        {
            index = _allocated++;
            if ((index >> ChunkBits) == _chunks.Length)
            {
                var chunks = new Entry[_chunks.Length + 1][];
                Array.Copy(_chunks, chunks, _chunks.Length);
                chunks[^1] = new Entry[ChunkSize];
                Volatile.Write(ref _chunks, chunks);
            }
        }

        ref var entry = ref this[index];
        entry.Key = key;
        entry.Size = size;
        entry.Next = None;
        Volatile.Write(ref entry.Meta, meta);
        return index;
    }

    public void Release(int index)
    {
        ref var entry = ref this[index];
        Volatile.Write(ref entry.Meta, Dead);
        entry.Next = _free;
        _free = index;
    }

    /// <summary>
    /// Adds one to the hit count of a record, up to <paramref name="maxFrequency"/>, without a lock.
    /// An index read just before its record was recycled bumps the newcomer instead: a one-off
    /// extra chance for some key, which costs less than a lock on every hit.
    /// </summary>
    public void Bump(int index, int maxFrequency)
    {
        var chunks = Volatile.Read(ref _chunks);
        ref var meta = ref chunks[index >> ChunkBits][index & (ChunkSize - 1)].Meta;
        var current = Volatile.Read(ref meta);
        while ((current & FrequencyMask) < maxFrequency && (current & Dead) == 0)
        {
            var seen = Interlocked.CompareExchange(ref meta, current + 1, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>
    /// Whether the record was stamped fewer than <paramref name="window"/> counts before
    /// <paramref name="now"/>. Lock-free, like <see cref="Bump"/>, and with the same harmless race.
    /// </summary>
    public bool StampedWithin(int index, int now, int window)
    {
        var chunks = Volatile.Read(ref _chunks);
        var meta = Volatile.Read(ref chunks[index >> ChunkBits][index & (ChunkSize - 1)].Meta);
        var stamp = (int)((uint)meta >> StampShift);
        return ((now - stamp) & StampMask) < window;
    }

    /// <summary>The hit count of a record.</summary>
    public int Frequency(int index) => Volatile.Read(ref this[index].Meta) & FrequencyMask;

    /// <summary>Replaces the bits of <paramref name="mask"/> atomically, racing only with <see cref="Bump"/>.</summary>
    public void SetBits(int index, int mask, int value)
    {
        ref var meta = ref this[index].Meta;
        var current = Volatile.Read(ref meta);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref meta, (current & ~mask) | value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    internal struct Entry
    {
        public ulong Key;
        public long Size;
        public int Meta;
        public int Next;
    }
}
