using EdgeFleet.Api;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Operator.Conditions;

namespace EdgeFleet.Operator.Tests;

public sealed class StatusComparerTests
{
    private static readonly EdgeCacheStatus Status = new()
    {
        ObservedGeneration = 2,
        ReadyPods = "1/1",
        Conditions = [new Condition { Type = "Ready", Status = "True", Reason = "AllPodsReady", Message = "m", LastTransitionTime = DateTimeOffset.UnixEpoch }],
        Regions = [new RegionStatus { Name = "eu", Replicas = 1, ReadyReplicas = 1 }],
    };

    [Fact]
    public void StatusChanged_EqualContentInNewInstances_False()
    {
        var copy = Status with { Conditions = [.. Status.Conditions!], Regions = [Status.Regions![0] with { }] };

        Assert.False(StatusComparer.StatusChanged(Status, copy));
    }

    [Fact]
    public void StatusChanged_NoStatusYet_True()
    {
        Assert.True(StatusComparer.StatusChanged(null, Status));
    }

    [Fact]
    public void StatusChanged_NestedFieldDiffers_True()
    {
        Assert.True(StatusComparer.StatusChanged(Status, Status with { Regions = [Status.Regions![0] with { ReadyReplicas = 0 }] }));
        Assert.True(StatusComparer.StatusChanged(Status, Status with { Conditions = [Status.Conditions![0] with { Message = "other" }] }));
    }
}
