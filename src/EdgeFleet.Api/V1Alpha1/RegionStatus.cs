namespace EdgeFleet.Api.V1Alpha1;

/// <summary>Pod counts of one region.</summary>
public sealed record RegionStatus
{
    public string Name { get; init; } = "";

    public int? Replicas { get; init; }

    public int? ReadyReplicas { get; init; }

    public int? UpdatedReplicas { get; init; }
}
