using EdgeFleet.Storage.Eviction;

namespace EdgeFleet.Storage.Tests.Eviction;

public sealed class EvictionPolicyFactoryTests
{
    [Fact]
    public void Create_EveryListedName_ReturnsThePolicyOfThatName()
    {
        foreach (var name in EvictionPolicyFactory.Names)
        {
            var policy = EvictionPolicyFactory.Create(name.ToUpperInvariant(), 64);
            Assert.Equal(name, policy.Name);
            Assert.Equal(64, policy.Capacity);
        }
    }

    [Fact]
    public void Create_Default_ReturnsTheDefaultPolicy()
    {
        var policy = EvictionPolicyFactory.Create(EvictionPolicyFactory.DefaultName, 64);

        Assert.Equal(EvictionPolicyFactory.DefaultPolicyName, policy.Name);
        Assert.Contains(policy.Name, EvictionPolicyFactory.Names);
    }

    [Fact]
    public void Create_UnknownName_ThrowsNamingTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => EvictionPolicyFactory.Create("arc", 64));
        Assert.Contains("s3fifo", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ZeroCapacity_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EvictionPolicyFactory.Create("lru", 0));
    }
}
