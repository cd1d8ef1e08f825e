namespace EdgeFleet.Api.V1Alpha1;

/// <summary>The observed state of an Origin.</summary>
public sealed record OriginStatus
{
    public long? ObservedGeneration { get; init; }

    public IReadOnlyList<Condition>? Conditions { get; init; }
}
