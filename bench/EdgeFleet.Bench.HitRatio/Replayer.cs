using EdgeFleet.Storage.Eviction;

namespace EdgeFleet.Bench.HitRatio;

/// <summary>Drives a policy the way the store does: a resident key is a hit, anything else a miss and a fill.</summary>
internal static class Replayer
{
    public static (double ObjectMissRatio, double ByteMissRatio) Replay(Trace trace, IEvictionPolicy policy)
    {
        var evicted = new List<ulong>();
        long misses = 0;
        long missedBytes = 0;
        long bytes = 0;
        for (var i = 0; i < trace.Keys.Length; i++)
        {
            var key = trace.Keys[i];
            var size = trace.Sizes[i];
            bytes += size;
            if (policy.Contains(key))
            {
                policy.RecordHit(key);
                continue;
            }

            misses++;
            missedBytes += size;
            evicted.Clear();
            policy.TryInsert(key, size, evicted);
            if (policy.Used > policy.Capacity)
            {
                throw new InvalidOperationException($"{policy.Name} holds {policy.Used} of {policy.Capacity} after request {i}.");
            }
        }

        return ((double)misses / trace.Keys.Length, bytes == 0 ? 0 : (double)missedBytes / bytes);
    }
}
