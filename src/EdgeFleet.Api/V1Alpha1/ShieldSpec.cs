namespace EdgeFleet.Api.V1Alpha1;

/// <summary>The shield (parent) tier; zero replicas sends edges straight to the origin.</summary>
public sealed record ShieldSpec
{
    public int Replicas { get; init; } = 2;
}
