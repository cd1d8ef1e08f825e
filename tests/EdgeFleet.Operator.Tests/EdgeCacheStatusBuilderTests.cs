using System.Text.Json;
using EdgeFleet.Api;
using EdgeFleet.Api.Schema;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Operator.Conditions;

namespace EdgeFleet.Operator.Tests;

public sealed class EdgeCacheStatusBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private static readonly WorkloadStatus[] AllReady =
    [
        new("eu-west", true, 3, 3, 3, true),
        new("us-east", true, 2, 2, 2, true),
        new("shield", true, 2, 2, 2, true),
    ];

    private static Condition Get(EdgeCacheStatus status, string type) => status.Conditions!.Single(c => c.Type == type);

    private static EdgeCache WithStatus(EdgeCacheStatus status) => Fixtures.EdgeCache() with { Status = status };

    [Fact]
    public void Build_AllPodsReady_ReadyTrueNotProgressingNotDegraded()
    {
        var status = EdgeCacheStatusBuilder.Build(Fixtures.EdgeCache(), true, AllReady, T0);

        Assert.Equal((ConditionStatus.True, ConditionReasons.AllPodsReady), (Get(status, "Ready").Status, Get(status, "Ready").Reason));
        Assert.Equal((ConditionStatus.False, ConditionReasons.RolloutComplete), (Get(status, "Progressing").Status, Get(status, "Progressing").Reason));
        Assert.Equal((ConditionStatus.False, ConditionReasons.AsExpected), (Get(status, "Degraded").Status, Get(status, "Degraded").Reason));
        Assert.Equal("7/7", status.ReadyPods);
        Assert.Equal(3, status.ObservedGeneration);
        Assert.All(status.Conditions!, c => Assert.Equal(3, c.ObservedGeneration));
        Assert.All(status.Conditions!, c => Assert.Equal(T0, c.LastTransitionTime));
    }

    [Fact]
    public void Build_AnyStatus_AcceptedByTheCrdStatusSchema()
    {
        WorkloadStatus[] workloads = [new("eu-west", true, 3, 1, 2, true), WorkloadStatus.Missing("us-east"), AllReady[2]];
        var status = EdgeCacheStatusBuilder.Build(Fixtures.EdgeCache(), false, workloads, T0.AddTicks(1234));

        var written = JsonSerializer.SerializeToNode(WithStatus(status), EdgeFleetJson.Options)!;

        Assert.Empty(CrdCatalog.Embedded.For(written).Validate(written));
        Assert.False(StatusComparer.StatusChanged(written.Deserialize<EdgeCache>(EdgeFleetJson.Options)!.Status, status));
    }

    [Fact]
    public void Build_RegionMissingPods_ReadyFalseNamingRegionAndCounts()
    {
        WorkloadStatus[] workloads = [new("eu-west", true, 3, 1, 3, true), AllReady[1], AllReady[2]];

        var status = EdgeCacheStatusBuilder.Build(Fixtures.EdgeCache(), true, workloads, T0);

        var ready = Get(status, "Ready");
        Assert.Equal((ConditionStatus.False, ConditionReasons.RegionNotReady, "eu-west: 1/3 pods ready"), (ready.Status, ready.Reason, ready.Message));
        Assert.Equal("5/7", status.ReadyPods);
        Assert.Equal(1, status.Regions!.Single(r => r.Name == "eu-west").ReadyReplicas);

        // The rollout is over and pods are still missing: someone has to look.
        Assert.Equal((ConditionStatus.True, ConditionReasons.PodsUnavailable), (Get(status, "Degraded").Status, Get(status, "Degraded").Reason));
    }

    [Fact]
    public void Build_RollingUpdate_ProgressingNotDegraded()
    {
        WorkloadStatus[] workloads = [new("eu-west", true, 3, 2, 1, true), AllReady[1], AllReady[2]];

        var status = EdgeCacheStatusBuilder.Build(Fixtures.EdgeCache(), true, workloads, T0);

        var progressing = Get(status, "Progressing");
        Assert.Equal((ConditionStatus.True, ConditionReasons.RollingOut, "eu-west: 1/3 pods updated"), (progressing.Status, progressing.Reason, progressing.Message));
        Assert.Equal(ConditionStatus.False, Get(status, "Degraded").Status);
    }

    [Fact]
    public void Build_ShieldNotReady_ShieldNotReadyReason()
    {
        WorkloadStatus[] workloads = [AllReady[0], AllReady[1], new("shield", true, 2, 0, 2, true)];

        var ready = Get(EdgeCacheStatusBuilder.Build(Fixtures.EdgeCache(), true, workloads, T0), "Ready");

        Assert.Equal((ConditionReasons.ShieldNotReady, "shield: 0/2 pods ready"), (ready.Reason, ready.Message));
    }

    [Fact]
    public void Build_NewEdgeCache_NothingCreatedYet()
    {
        WorkloadStatus[] workloads = [WorkloadStatus.Missing("eu-west"), WorkloadStatus.Missing("us-east"), WorkloadStatus.Missing("shield")];

        var status = EdgeCacheStatusBuilder.Build(Fixtures.EdgeCache(), true, workloads, T0);

        Assert.Equal("eu-west: not created yet; us-east: not created yet", Get(status, "Ready").Message);
        Assert.Equal(ConditionStatus.True, Get(status, "Progressing").Status);
        Assert.Equal(ConditionStatus.False, Get(status, "Degraded").Status);
    }

    [Fact]
    public void Build_OriginMissing_ReadyFalseAndDegradedWithClearReason()
    {
        var status = EdgeCacheStatusBuilder.Build(Fixtures.EdgeCache(), false, AllReady, T0);

        var ready = Get(status, "Ready");
        Assert.Equal((ConditionStatus.False, ConditionReasons.OriginNotFound, "Origin \"www\" not found in namespace default"), (ready.Status, ready.Reason, ready.Message));
        Assert.Equal((ConditionStatus.True, ConditionReasons.OriginNotFound), (Get(status, "Degraded").Status, Get(status, "Degraded").Reason));
    }

    [Fact]
    public void Build_StatusUnchangedLater_KeepsLastTransitionTime()
    {
        var first = EdgeCacheStatusBuilder.Build(Fixtures.EdgeCache(), true, AllReady, T0);

        var second = EdgeCacheStatusBuilder.Build(WithStatus(first), true, AllReady, T0.AddMinutes(5));

        Assert.All(second.Conditions!, c => Assert.Equal(T0, c.LastTransitionTime));
        Assert.False(StatusComparer.StatusChanged(first, second));
    }

    [Fact]
    public void Build_StatusFlips_NewTransitionTimeOnlyForTheFlippedCondition()
    {
        var first = EdgeCacheStatusBuilder.Build(Fixtures.EdgeCache(), true, AllReady, T0);
        WorkloadStatus[] degraded = [new("eu-west", true, 3, 2, 3, true), AllReady[1], AllReady[2]];

        var second = EdgeCacheStatusBuilder.Build(WithStatus(first), true, degraded, T0.AddMinutes(5));

        Assert.Equal(T0.AddMinutes(5), Get(second, "Ready").LastTransitionTime);
        Assert.Equal(T0.AddMinutes(5), Get(second, "Degraded").LastTransitionTime);
        Assert.Equal(T0, Get(second, "Progressing").LastTransitionTime);
        Assert.True(StatusComparer.StatusChanged(first, second));
    }

    [Fact]
    public void Build_MessageChangesWithoutFlip_KeepsTimeButStatusChanged()
    {
        WorkloadStatus[] oneReady = [new("eu-west", true, 3, 1, 3, true), AllReady[1], AllReady[2]];
        WorkloadStatus[] twoReady = [new("eu-west", true, 3, 2, 3, true), AllReady[1], AllReady[2]];
        var first = EdgeCacheStatusBuilder.Build(Fixtures.EdgeCache(), true, oneReady, T0);

        var second = EdgeCacheStatusBuilder.Build(WithStatus(first), true, twoReady, T0.AddMinutes(1));

        Assert.Equal(T0, Get(second, "Ready").LastTransitionTime);
        Assert.Equal("eu-west: 2/3 pods ready", Get(second, "Ready").Message);
        Assert.True(StatusComparer.StatusChanged(first, second));
    }

    [Fact]
    public void Build_NewGeneration_CarriedIntoConditions()
    {
        var first = EdgeCacheStatusBuilder.Build(Fixtures.EdgeCache(), true, AllReady, T0);
        var edgeCache = WithStatus(first) with { Metadata = Fixtures.EdgeCache().Metadata with { Generation = 4 } };

        var second = EdgeCacheStatusBuilder.Build(edgeCache, true, AllReady, T0.AddMinutes(1));

        Assert.Equal(4, second.ObservedGeneration);
        Assert.All(second.Conditions!, c => Assert.Equal(4, c.ObservedGeneration));
        Assert.True(StatusComparer.StatusChanged(first, second));
    }
}
