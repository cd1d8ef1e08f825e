using System.Numerics;

namespace EdgeFleet.Storage.Eviction;

/// <summary>
/// A count-min sketch of 4-bit counters that estimates how often each key was requested lately,
/// whether or not it is resident (TinyLFU, Einziger et al.). Every counter is halved once the
/// sketch has counted ten times as many requests as it is sized for, so old popularity fades.
/// </summary>
/// <remarks>
/// <see cref="Increment"/> is lock-free (a compare-and-swap per row, on words other threads rarely
/// touch) and may race with
/// <see cref="Age"/>; a lost increment only makes an estimate one lower. Sized at 8 bytes per
/// expected key (16 counters per key over 4 rows) unless told to be wider; a wider sketch halves
/// just as often (per expected key), it only confuses fewer keys.
/// </remarks>
internal sealed class FrequencySketch
{
    /// <summary>The narrowest sketch: one 64-bit word (16 counters) per expected key.</summary>
    public const int MinCountersPerKey = 16;

    private const int Rows = 4;
    private const long CounterMask = 0xF;
    private const ulong HalfMask = 0x7777_7777_7777_7777UL;
    private static readonly ulong[] Seeds = [0xC3A5C85C97CB3127UL, 0xB492B66FBE98F273UL, 0x9AE16A3B2F90404FUL, 0xCBF29CE484222325UL];

    private readonly long[] _table;
    private readonly int _tableMask;
    private readonly long _sampleSize;
    private long _additions;

    /// <param name="expectedKeys">How many keys to size for (rounded up to a power of two).</param>
    /// <param name="countersPerKey">Counters per expected key over all rows: 16, or a larger power of two.</param>
    public FrequencySketch(long expectedKeys, int countersPerKey = MinCountersPerKey)
    {
        ThrowIfInvalidCountersPerKey(countersPerKey, nameof(countersPerKey));
        var keys = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(expectedKeys, 16, 1 << 26));
        var words = (int)Math.Min(1L << 28, (long)keys * (countersPerKey / MinCountersPerKey));
        _table = new long[words];
        _tableMask = words - 1;
        _sampleSize = 10L * keys;
        ExpectedKeys = keys;
        CountersPerKey = countersPerKey;
    }

    /// <summary>The number of keys the sketch was sized for.</summary>
    public long ExpectedKeys { get; }

    /// <summary>Counters per expected key, as given to the constructor.</summary>
    public int CountersPerKey { get; }

    /// <summary>Refuses a width the sketch cannot take: counters per key must be a power of two of at least 16.</summary>
    public static void ThrowIfInvalidCountersPerKey(int countersPerKey, string paramName)
    {
        if (countersPerKey < MinCountersPerKey || !BitOperations.IsPow2(countersPerKey))
        {
            throw new ArgumentOutOfRangeException(paramName, countersPerKey, $"Must be a power of two of at least {MinCountersPerKey}.");
        }
    }

    /// <summary>Whether enough requests were counted that the sketch should be halved.</summary>
    public bool NeedsAging => Volatile.Read(ref _additions) >= _sampleSize;

    public void Increment(ulong key)
    {
        var added = false;
        for (var row = 0; row < Rows; row++)
        {
            var (word, shift) = Locate(key, row);
            ref var cell = ref _table[word];
            var current = Volatile.Read(ref cell);
            while (((current >> shift) & CounterMask) != CounterMask)
            {
                var seen = Interlocked.CompareExchange(ref cell, current + (1L << shift), current);
                if (seen == current)
                {
                    added = true;
                    break;
                }

                current = seen;
            }
        }

        // One key in sixteen (by hash) counts sixteen, so the shared counter that decides when to
        // halve is touched by one hit in sixteen, not by every hit on every core.
        if (added && (key * Seeds[0]) >> 60 == 0)
        {
            Interlocked.Add(ref _additions, 16);
        }
    }

    public int Estimate(ulong key)
    {
        var min = int.MaxValue;
        for (var row = 0; row < Rows; row++)
        {
            var (word, shift) = Locate(key, row);
            min = Math.Min(min, (int)((Volatile.Read(ref _table[word]) >> shift) & CounterMask));
        }

        return min;
    }

    /// <summary>
    /// A sketch for twice as many keys that keeps the counts of this one: a row's word index gains
    /// one high bit, so both halves of the new table start as copies of the old one and every
    /// estimate stays what it was. Not thread-safe against <see cref="Increment"/> on this sketch:
    /// increments racing with the copy are lost, which only lowers estimates by one.
    /// </summary>
    public FrequencySketch Grow()
    {
        var grown = new FrequencySketch(ExpectedKeys * 2, CountersPerKey);
        if (grown._table.Length == 2 * _table.Length)
        {
            for (var i = 0; i < _table.Length; i++)
            {
                var word = Volatile.Read(ref _table[i]);
                grown._table[i] = word;
                grown._table[i + _table.Length] = word;
            }

            grown._additions = Volatile.Read(ref _additions);
        }

        return grown;
    }

    /// <summary>Halves every counter.</summary>
    public void Age()
    {
        for (var i = 0; i < _table.Length; i++)
        {
            _table[i] = (long)(((ulong)_table[i] >> 1) & HalfMask);
        }

        Volatile.Write(ref _additions, Volatile.Read(ref _additions) / 2);
    }

    private (int Word, int Shift) Locate(ulong key, int row)
    {
        var hash = (key + (ulong)row) * Seeds[row];
        hash ^= hash >> 29;
        var word = (int)(hash >> 32) & _tableMask;
        var shift = (int)(hash & 0xF) << 2;
        return (word, shift);
    }
}
