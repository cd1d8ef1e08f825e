namespace EdgeFleet.Api.V1Alpha1;

/// <summary>The observed state of an EdgeCache.</summary>
public sealed record EdgeCacheStatus : ResourceStatus
{
    /// <summary>Ready pods over desired pods, edge and shield together, e.g. <c>5/6</c>.</summary>
    public string? ReadyPods { get; init; }

    public int? Replicas { get; init; }

    public int? ReadyReplicas { get; init; }

    public IReadOnlyList<RegionStatus>? Regions { get; init; }

    public TierStatus? Shield { get; init; }
}
