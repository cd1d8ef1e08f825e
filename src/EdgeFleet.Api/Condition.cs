namespace EdgeFleet.Api;

/// <summary>A status condition in the shape of metav1.Condition.</summary>
public sealed record Condition
{
    public string Type { get; init; } = "";

    /// <summary>True, False or Unknown (<see cref="ConditionStatus"/>).</summary>
    public string Status { get; init; } = ConditionStatus.Unknown;

    public long? ObservedGeneration { get; init; }

    public DateTimeOffset LastTransitionTime { get; init; }

    public string Reason { get; init; } = "";

    public string Message { get; init; } = "";
}
