namespace EdgeFleet.Storage.Eviction;

/// <summary>
/// The keys recently evicted without a second hit, oldest first, bounded in number. A miss on a
/// key still here shows the key comes back within about one cache lifetime, so it skips the
/// probation queue. Used under the policy's lock only.
/// </summary>
/// <remarks>
/// Keys are kept as 32-bit fingerprints: a collision only admits some key straight to the main
/// queue. Sequence numbers are kept modulo 2^32, which is safe while the ring holds fewer keys.
/// Per ghost: 4 bytes in the ring and 20 in the dictionary (entry and bucket).
/// </remarks>
internal sealed class GhostQueue
{
    private readonly Queue<uint> _order = new();
    private readonly Dictionary<uint, uint> _sequence = [];
    private long _dequeued;
    private long _enqueued;

    public int Count => _sequence.Count;

    public void Add(ulong key, int limit)
    {
        var fingerprint = Fingerprint(key);
        _order.Enqueue(fingerprint);
        _sequence[fingerprint] = unchecked((uint)_enqueued++);
        while (_order.Count > Math.Max(limit, 1))
        {
            var oldest = _order.Dequeue();
            // Only the latest occurrence of a fingerprint is in the dictionary.
            if (_sequence.TryGetValue(oldest, out var sequence) && sequence == unchecked((uint)_dequeued))
            {
                _sequence.Remove(oldest);
            }

            _dequeued++;
        }
    }

    /// <summary>Removes a key and tells whether it was there.</summary>
    public bool Remove(ulong key) => _sequence.Remove(Fingerprint(key));

    private static uint Fingerprint(ulong key)
    {
        // A multiplicative mix, so that keys that differ in high bits only still differ here.
        var mixed = key * 0x9E3779B97F4A7C15UL;
        return (uint)(mixed >> 32);
    }
}
