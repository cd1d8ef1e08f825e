namespace EdgeFleet.Storage.Eviction;

/// <summary>
/// Hits waiting to be applied to a policy's LRU lists: bounded rings that many threads append
/// keys to without a lock and the policy drains under its lock (the read buffer of Caffeine).
/// </summary>
/// <remarks>
/// A thread appends to the ring of its stripe with one compare-and-swap on that ring's write
/// counter, so threads on different stripes do not contend. A full ring refuses the hit: the caller
/// then drains if the lock is free and otherwise drops the hit, which only costs the key one
/// reordering (its frequency was already counted). Memory: 16 bytes per slot, 1,024 slots per stripe.
/// </remarks>
internal sealed class HitBuffer
{
    private const int SlotsPerStripe = 1_024;
    private const int SlotMask = SlotsPerStripe - 1;

    private readonly Stripe[] _stripes;
    private readonly int _stripeMask;

    public HitBuffer()
    {
        var stripes = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 16));
        _stripes = new Stripe[stripes];
        for (var i = 0; i < stripes; i++)
        {
            _stripes[i] = new Stripe();
        }

        _stripeMask = stripes - 1;
    }

    /// <summary>Appends a hit; <see langword="false"/> when the thread's ring is full.</summary>
    public bool TryAdd(ulong key)
    {
        var stripe = _stripes[Environment.CurrentManagedThreadId & _stripeMask];
        while (true)
        {
            var write = Volatile.Read(ref stripe.Write);
            if (write - Volatile.Read(ref stripe.Read) >= SlotsPerStripe)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref stripe.Write, write + 1, write) == write)
            {
                ref var slot = ref stripe.Slots[write & SlotMask];
                slot.Key = key;
                // Published last: the drain stops at a claimed slot whose key is not written yet.
                Volatile.Write(ref slot.Full, 1);
                return true;
            }
        }
    }

    /// <summary>Hands every published hit to <paramref name="apply"/>, stripe by stripe. Under the policy's lock only.</summary>
    public void Drain<TState>(TState state, Action<TState, ulong> apply)
    {
        foreach (var stripe in _stripes)
        {
            var read = stripe.Read;
            var write = Volatile.Read(ref stripe.Write);
            while (read < write)
            {
                ref var slot = ref stripe.Slots[read & SlotMask];
                if (Volatile.Read(ref slot.Full) == 0)
                {
                    break;
                }

                var key = slot.Key;
                slot.Full = 0;
                read++;
                apply(state, key);
            }

            Volatile.Write(ref stripe.Read, read);
        }
    }

    private sealed class Stripe
    {
        public readonly Slot[] Slots = new Slot[SlotsPerStripe];
        public long Write;
        public long Read;
    }

    private struct Slot
    {
        public ulong Key;
        public int Full;
    }
}
