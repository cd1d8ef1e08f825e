using System.Text.Json.Nodes;
using EdgeFleet.Operator.Conditions;

namespace EdgeFleet.Operator.Tests;

public sealed class WorkloadStatusTests
{
    [Fact]
    public void FromStatefulSet_MidRollout_CountsFromStatus()
    {
        var set = JsonNode.Parse("""
            {"metadata":{"generation":4},"spec":{"replicas":3},
             "status":{"observedGeneration":4,"readyReplicas":2,"updatedReplicas":1,"currentReplicas":2,"currentRevision":"a","updateRevision":"b"}}
            """)!.AsObject();

        var status = WorkloadStatus.FromStatefulSet("eu", set);

        Assert.Equal(new WorkloadStatus("eu", true, 3, 2, 1, true), status);
        Assert.False(status.RolledOut);
    }

    [Fact]
    public void FromStatefulSet_SpecNotYetObserved_NotRolledOut()
    {
        var set = JsonNode.Parse("""{"metadata":{"generation":5},"spec":{"replicas":1},"status":{"observedGeneration":4,"readyReplicas":1,"updatedReplicas":1}}""")!.AsObject();

        var status = WorkloadStatus.FromStatefulSet("eu", set);

        Assert.False(status.Observed);
        Assert.Equal("eu: update not yet seen by the StatefulSet controller", status.DescribeRollout());
    }

    [Fact]
    public void FromStatefulSet_Absent_Missing()
    {
        Assert.Equal(WorkloadStatus.Missing("eu"), WorkloadStatus.FromStatefulSet("eu", null));
    }
}
