using BenchmarkDotNet.Attributes;
using EdgeFleet.Storage.Eviction;

namespace EdgeFleet.Bench.Micro;

/// <summary>
/// The cost of the two calls the store makes on every request: <see cref="IEvictionPolicy.RecordHit"/>
/// on a hit and <see cref="IEvictionPolicy.TryInsert"/> (with evictions) on a miss, per policy.
/// LRU is the baseline the others are compared with.
/// </summary>
[MemoryDiagnoser]
public class EvictionPolicyBenchmarks
{
    private const int Capacity = 100_000;
    private const int Operations = 4_096;

    private readonly List<ulong> _evicted = new(16);
    private ulong[] _hits = [];
    private IEvictionPolicy _policy = null!;
    private ulong _nextMiss;

    [Params("lru", "fifo", "s3fifo", EvictionPolicyFactory.DefaultName)]
    public string Policy { get; set; } = "lru";

    [GlobalSetup]
    public void Setup()
    {
        _policy = EvictionPolicyFactory.Create(Policy, Capacity);
        var evicted = new List<ulong>();
        for (ulong key = 0; key < Capacity; key++)
        {
            _policy.TryInsert(key, 1, evicted);
        }

        // Skewed towards low keys, as real hits are; seeded so that every run replays the same keys.
        var random = new Random(42);
        _hits = [.. Enumerable.Range(0, Operations).Select(_ => (ulong)(Capacity * Math.Pow(random.NextDouble(), 3)))];
        _nextMiss = 1UL << 40;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public void RecordHit()
    {
        foreach (var key in _hits)
        {
            _policy.RecordHit(key);
        }
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void TryInsertNewKey()
    {
        for (var i = 0; i < Operations; i++)
        {
            _evicted.Clear();
            _policy.TryInsert(_nextMiss++, 1, _evicted);
        }
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void RecordHitFromTwoThreads()
    {
        var hits = _hits;
        var policy = _policy;
        Parallel.For(0, 2, thread =>
        {
            for (var i = thread; i < hits.Length; i += 2)
            {
                policy.RecordHit(hits[i]);
            }
        });
    }
}
