namespace EdgeFleet.Api.V1Alpha1;

/// <summary>How a region's pods are replaced when their template changes (a StatefulSet update strategy).</summary>
public sealed record UpdateStrategy
{
    /// <summary>RollingUpdate or OnDelete.</summary>
    public string Type { get; init; } = "RollingUpdate";

    public RollingUpdate? RollingUpdate { get; init; }
}
