using EdgeFleet.Storage.Eviction;

namespace EdgeFleet.Storage.Tests.Eviction;

/// <summary>The default configuration through the contract, then the behaviour S3-FIFO is chosen for.</summary>
public sealed class S3FifoEvictionPolicyTests : EvictionPolicyContractTests
{
    private const int Objects = 10_000;
    private const int Requests = 100_000;

    protected override IEvictionPolicy Create(long capacity) => new S3FifoEvictionPolicy(capacity, EvictionPolicyFactory.DefaultOptions);

    [Fact]
    public void TryInsert_ScanOfOneHitWonders_KeepsTheHotKeys()
    {
        var policy = new S3FifoEvictionPolicy(1_000);
        var evicted = new List<ulong>();
        for (ulong key = 0; key < 500; key++)
        {
            policy.TryInsert(key, 1, evicted);
        }

        // Two hits each: enough for the published promotion threshold.
        for (ulong key = 0; key < 500; key++)
        {
            policy.RecordHit(key);
            policy.RecordHit(key);
        }

        for (ulong key = 10_000; key < 20_000; key++)
        {
            policy.TryInsert(key, 1, evicted);
        }

        Assert.All(Enumerable.Range(0, 500), key => Assert.True(policy.Contains((ulong)key)));
        Assert.Equal(1_000, policy.Used);
    }

    [Fact]
    public void TryInsert_KeyLargerThanTheSmallQueue_NeedsASecondMiss()
    {
        var policy = Create(1_000);
        var evicted = new List<ulong>();

        Assert.False(policy.TryInsert(1, 300, evicted));
        Assert.False(policy.Contains(1));
        Assert.True(policy.TryInsert(1, 300, evicted));
        Assert.True(policy.Contains(1));
        Assert.Equal(300, policy.Used);
    }

    [Fact]
    public void TryInsert_EvictedKeyMissedAgain_GoesToMainAndOutlivesNewKeys()
    {
        var policy = new S3FifoEvictionPolicy(100);
        var evicted = new List<ulong>();
        for (ulong key = 0; key < 200; key++)
        {
            policy.TryInsert(key, 1, evicted);
        }

        // Key 50 left the small queue unhit and is a ghost now; its return admits it to main.
        Assert.False(policy.Contains(50));
        Assert.True(policy.TryInsert(50, 1, evicted));
        for (ulong key = 1_000; key < 1_050; key++)
        {
            policy.TryInsert(key, 1, evicted);
        }

        Assert.True(policy.Contains(50));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(7, false)]
    [InlineData(8, true)]
    public void RecordHit_CorrelationWindowOfEightAdmissions_KeepsTheKeyOnlyWhenHitAfterIt(int admissionsBeforeHits, bool kept)
    {
        var policy = new S3FifoEvictionPolicy(100, new S3FifoOptions { CorrelationWindow = 8 });
        var evicted = new List<ulong>();
        policy.TryInsert(1, 1, evicted);
        FillWithNewKeys(policy, 1_000, admissionsBeforeHits);
        // Two hits: enough to leave probation for main, unless they come in the key's first burst.
        policy.RecordHit(1);
        policy.RecordHit(1);
        FillWithNewKeys(policy, 2_000, 200);

        Assert.Equal(kept, policy.Contains(1));
    }

    [Fact]
    public void Constructor_NegativeCorrelationWindow_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new S3FifoEvictionPolicy(100, new S3FifoOptions { CorrelationWindow = -1 }));
    }

    [Theory]
    [InlineData(0.6)]
    [InlineData(0.8)]
    [InlineData(1.0)]
    [InlineData(1.2)]
    public void MissRatio_Zipf_DefaultMatchesOrBeatsLru(double exponent)
    {
        AssertDefaultMatchesOrBeatsLru(SyntheticWorkload.Zipf(Objects, exponent, Requests, seed: 11));
    }

    [Fact]
    public void MissRatio_ZipfWithScans_DefaultMatchesOrBeatsLru()
    {
        AssertDefaultMatchesOrBeatsLru(SyntheticWorkload.ZipfWithScans(Objects, 0.9, Requests, period: 5_000, scanLength: 2_000, seed: 12));
    }

    [Fact]
    public void MissRatio_ShiftingPopularity_DefaultMatchesOrBeatsLruAtSmallSizes()
    {
        // A known weakness, kept visible rather than tuned away: when the popular half of the keys
        // is replaced at once, keys that were hot keep their credit in the main queue for a while,
        // and at larger cache sizes LRU wins on this stream (at 20%: 0.384 against 0.354 when this
        // was written; the published S3-FIFO settings lose too). At small sizes the default wins.
        var requests = SyntheticWorkload.ShiftingZipf(Objects, 0.9, Requests, phase: 20_000, seed: 13);
        AssertDefaultMatchesOrBeatsLru(requests, [0.01, 0.05]);
    }

    private static void FillWithNewKeys(S3FifoEvictionPolicy policy, ulong first, int count)
    {
        var evicted = new List<ulong>();
        for (var key = first; key < first + (ulong)count; key++)
        {
            policy.TryInsert(key, 1, evicted);
        }
    }

    private static void AssertDefaultMatchesOrBeatsLru(ulong[] requests, double[]? fractions = null) =>
        SyntheticWorkload.AssertMatchesOrBeatsLru(
            capacity => EvictionPolicyFactory.Create(EvictionPolicyFactory.DefaultName, capacity), requests, Objects, fractions);
}
