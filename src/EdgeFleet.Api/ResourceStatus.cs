namespace EdgeFleet.Api;

/// <summary>What every edgefleet.io status carries: the generation it describes and its conditions.</summary>
public abstract record ResourceStatus
{
    /// <summary>The metadata.generation the operator had seen when it wrote this status.</summary>
    public long? ObservedGeneration { get; init; }

    public IReadOnlyList<Condition>? Conditions { get; init; }
}
