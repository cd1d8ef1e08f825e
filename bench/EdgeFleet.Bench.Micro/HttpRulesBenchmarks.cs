using BenchmarkDotNet.Attributes;
using EdgeFleet.Http;
using EdgeFleet.Storage;
using EdgeFleet.Storage.Eviction;

namespace EdgeFleet.Bench.Micro;

/// <summary>The pure pieces of a hit: cache key, directive parsing, the freshness decision, the index lookup.</summary>
[MemoryDiagnoser]
public class HttpRulesBenchmarks
{
    private readonly ResponseHead _head = new(
        200,
        new HeaderFields(
        [
            new("Cache-Control", ["public, max-age=3600, stale-while-revalidate=60"]),
            new("Date", [HttpDate.Format(DateTimeOffset.UtcNow)]),
            new("ETag", ["\"abc\""]),
            new("Content-Type", ["image/png"]),
        ]),
        DateTimeOffset.UtcNow,
        DateTimeOffset.UtcNow);

    private readonly MemoryObjectStore _store = new(EvictionPolicyFactory.Create("default", 1L << 30));
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow.AddSeconds(10);

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < 100_000; i++)
        {
            _store.Put($"/images/{i}.png", new byte[64], new byte[1024], []);
        }
    }

    [Benchmark]
    public string? CacheKeyFromTarget() => CacheKey.FromTarget("/images/12345.png?w=640");

    [Benchmark]
    public CacheControl ParseCacheControl() => CacheControl.Parse("public, max-age=3600, stale-while-revalidate=60");

    [Benchmark]
    public ReuseDecision FreshnessDecision() =>
        ReuseRule.Evaluate(_head, default, _now, CachePolicyOptions.Default).Decision;

    [Benchmark]
    public bool IndexLookup() => _store.TryGet("/images/54321.png", out _);
}
