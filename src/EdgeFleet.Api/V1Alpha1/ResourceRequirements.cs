namespace EdgeFleet.Api.V1Alpha1;

/// <summary>Compute resources of a container, as in core/v1.</summary>
public sealed record ResourceRequirements
{
    public IReadOnlyDictionary<string, IntOrString>? Limits { get; init; }

    public IReadOnlyDictionary<string, IntOrString>? Requests { get; init; }
}
