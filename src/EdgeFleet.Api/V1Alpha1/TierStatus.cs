namespace EdgeFleet.Api.V1Alpha1;

/// <summary>Pod counts of the shield tier.</summary>
public sealed record TierStatus
{
    public int? Replicas { get; init; }

    public int? ReadyReplicas { get; init; }

    public int? UpdatedReplicas { get; init; }
}
