namespace EdgeFleet.Api.V1Alpha1;

/// <summary>Parameters of a rolling update.</summary>
public sealed record RollingUpdate
{
    /// <summary>Pods that may be unavailable at once, a number or a percentage.</summary>
    public IntOrString? MaxUnavailable { get; init; }

    /// <summary>Only pods with an ordinal at or above the partition are updated.</summary>
    public int? Partition { get; init; }
}
