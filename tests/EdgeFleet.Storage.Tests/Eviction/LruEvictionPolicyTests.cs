using EdgeFleet.Storage.Eviction;

namespace EdgeFleet.Storage.Tests.Eviction;

public sealed class LruEvictionPolicyTests : EvictionPolicyContractTests
{
    protected override IEvictionPolicy Create(long capacity) => new LruEvictionPolicy(capacity);

    [Fact]
    public void RecordHit_OldestKey_SavesItFromEviction() => Assert.Equal([2UL], EvictedAfterHittingTheOldest());
}
