namespace EdgeFleet.Api.V1Alpha1;

/// <summary>Per-pod cache sizes and the node-local volume of the disk tier.</summary>
public sealed record CacheSpec
{
    /// <summary>A Kubernetes quantity, e.g. <c>2Gi</c>.</summary>
    public string MemorySize { get; init; } = "";

    /// <summary>A Kubernetes quantity, e.g. <c>200Gi</c>.</summary>
    public string DiskSize { get; init; } = "";

    public string? StorageClassName { get; init; }

    public bool UseEmptyDir { get; init; }
}
