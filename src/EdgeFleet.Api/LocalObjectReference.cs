namespace EdgeFleet.Api;

/// <summary>A reference to an object by name in the referrer's namespace.</summary>
public sealed record LocalObjectReference
{
    public string Name { get; init; } = "";
}
