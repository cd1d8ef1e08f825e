using EdgeFleet.Storage.Eviction;

namespace EdgeFleet.Storage.Tests.Eviction;

/// <summary>Seeded request streams with known shapes, and a replay loop like the store's.</summary>
internal static class SyntheticWorkload
{
    /// <summary>Requests drawn from <paramref name="objects"/> keys with Zipf popularity of exponent <paramref name="exponent"/>.</summary>
    public static ulong[] Zipf(int objects, double exponent, int requests, int seed)
    {
        var sampler = new ZipfSampler(objects, exponent, seed);
        return [.. Enumerable.Range(0, requests).Select(_ => (ulong)sampler.Next())];
    }

    /// <summary>A Zipf stream interrupted every <paramref name="period"/> requests by a scan of never-seen keys.</summary>
    public static ulong[] ZipfWithScans(int objects, double exponent, int requests, int period, int scanLength, int seed)
    {
        var sampler = new ZipfSampler(objects, exponent, seed);
        var stream = new List<ulong>(requests);
        var scanKey = 1UL << 40;
        while (stream.Count < requests)
        {
            for (var i = 0; i < period && stream.Count < requests; i++)
            {
                stream.Add((ulong)sampler.Next());
            }

            for (var i = 0; i < scanLength && stream.Count < requests; i++)
            {
                stream.Add(scanKey++);
            }
        }

        return [.. stream];
    }

    /// <summary>A Zipf stream whose popular keys are replaced by fresh ones every <paramref name="phase"/> requests.</summary>
    public static ulong[] ShiftingZipf(int objects, double exponent, int requests, int phase, int seed)
    {
        var sampler = new ZipfSampler(objects, exponent, seed);
        return [.. Enumerable.Range(0, requests).Select(i => (ulong)(sampler.Next() + (i / phase * objects / 2)))];
    }

    /// <summary>Replays unit-size requests: a resident key is a hit, anything else a miss and a fill.</summary>
    public static double MissRatio(IEvictionPolicy policy, ulong[] requests)
    {
        var evicted = new List<ulong>();
        var misses = 0;
        foreach (var key in requests)
        {
            if (policy.Contains(key))
            {
                policy.RecordHit(key);
                continue;
            }

            misses++;
            evicted.Clear();
            policy.TryInsert(key, 1, evicted);
        }

        return (double)misses / requests.Length;
    }

    /// <summary>
    /// Asserts that the policy <paramref name="create"/> makes misses no more often than LRU on
    /// <paramref name="requests"/> at each cache size, given as a share of <paramref name="objects"/>.
    /// </summary>
    public static void AssertMatchesOrBeatsLru(Func<long, IEvictionPolicy> create, ulong[] requests, int objects, double[]? fractions = null)
    {
        foreach (var fraction in fractions ?? [0.01, 0.05, 0.10, 0.20])
        {
            var capacity = (long)(objects * fraction);
            var lru = MissRatio(new LruEvictionPolicy(capacity), requests);
            var policy = create(capacity);
            var chosen = MissRatio(policy, requests);
            Assert.True(chosen <= lru, $"at {fraction:P0} {policy.Name} misses {chosen:F4}, LRU {lru:F4}");
        }
    }

    private sealed class ZipfSampler
    {
        private readonly double[] _cumulative;
        private readonly Random _random;

        public ZipfSampler(int objects, double exponent, int seed)
        {
            _random = new Random(seed);
            _cumulative = new double[objects];
            var sum = 0.0;
            for (var rank = 0; rank < objects; rank++)
            {
                sum += 1.0 / Math.Pow(rank + 1, exponent);
                _cumulative[rank] = sum;
            }

            for (var rank = 0; rank < objects; rank++)
            {
                _cumulative[rank] /= sum;
            }
        }

        public int Next()
        {
            var index = Array.BinarySearch(_cumulative, _random.NextDouble());
            return Math.Min(index < 0 ? ~index : index, _cumulative.Length - 1);
        }
    }
}
