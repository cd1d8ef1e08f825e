using EdgeFleet.Storage.Eviction;

namespace EdgeFleet.Storage.Tests.Eviction;

public sealed class FifoEvictionPolicyTests : EvictionPolicyContractTests
{
    protected override IEvictionPolicy Create(long capacity) => new FifoEvictionPolicy(capacity);

    [Fact]
    public void RecordHit_OldestKey_StillEvictsItFirst() => Assert.Equal([1UL], EvictedAfterHittingTheOldest());
}
