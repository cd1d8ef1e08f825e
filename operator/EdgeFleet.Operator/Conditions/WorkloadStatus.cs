using System.Text.Json.Nodes;

namespace EdgeFleet.Operator.Conditions;

/// <summary>What the operator reads from one owned StatefulSet to compute conditions.</summary>
/// <param name="Name">The region name, or <see cref="ShieldName"/> for the shield tier.</param>
/// <param name="Exists">Whether the StatefulSet exists yet.</param>
/// <param name="Desired">spec.replicas.</param>
/// <param name="Ready">status.readyReplicas.</param>
/// <param name="Updated">status.updatedReplicas: pods running the current template.</param>
/// <param name="Observed">Whether the StatefulSet controller has seen the current spec (status.observedGeneration ≥ metadata.generation).</param>
internal sealed record WorkloadStatus(string Name, bool Exists, int Desired, int Ready, int Updated, bool Observed)
{
    public const string ShieldName = "shield";

    public bool IsShield => Name == ShieldName;

    public bool AllReady => Exists && Ready >= Desired;

    public bool RolledOut => Exists && Observed && Updated >= Desired;

    public static WorkloadStatus Missing(string name) => new(name, false, 0, 0, 0, false);

    public static WorkloadStatus FromStatefulSet(string name, JsonObject? statefulSet)
    {
        if (statefulSet is null)
        {
            return Missing(name);
        }

        var status = statefulSet["status"];
        var generation = statefulSet["metadata"]?["generation"]?.GetValue<long>() ?? 0;
        var observedGeneration = status?["observedGeneration"]?.GetValue<long>() ?? -1;
        var updateRevision = status?["updateRevision"]?.GetValue<string>();
        var currentRevision = status?["currentRevision"]?.GetValue<string>();
        var desired = statefulSet["spec"]?["replicas"]?.GetValue<int>() ?? 1;
        var updated = status?["updatedReplicas"]?.GetValue<int>() ?? 0;

        // After a finished rolling update the controller sets currentRevision to updateRevision; until
        // then (or with OnDelete) updatedReplicas counts the pods already on the new template.
        if (updateRevision is not null && updateRevision == currentRevision)
        {
            updated = Math.Max(updated, status?["currentReplicas"]?.GetValue<int>() ?? 0);
        }

        return new WorkloadStatus(name, true, desired, status?["readyReplicas"]?.GetValue<int>() ?? 0, updated, observedGeneration >= generation);
    }

    public string DescribeReadiness() => Exists ? $"{Name}: {Ready}/{Desired} pods ready" : $"{Name}: not created yet";

    public string DescribeRollout() => (Exists, Observed) switch
    {
        (false, _) => $"{Name}: not created yet",
        (true, false) => $"{Name}: update not yet seen by the StatefulSet controller",
        _ => $"{Name}: {Updated}/{Desired} pods updated",
    };
}
