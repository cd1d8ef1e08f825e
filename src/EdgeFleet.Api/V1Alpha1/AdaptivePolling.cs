namespace EdgeFleet.Api.V1Alpha1;

/// <summary>The shield tier's polling of the origin for changes to leased objects.</summary>
public sealed record AdaptivePolling
{
    public bool Enabled { get; init; }

    public string MinInterval { get; init; } = "10s";

    public string MaxInterval { get; init; } = "5m";
}
