namespace EdgeFleet.Api.V1Alpha1;

/// <summary>Timeouts of origin fetches (Go durations).</summary>
public sealed record OriginTimeouts
{
    public string Connect { get; init; } = "5s";

    public string Read { get; init; } = "30s";
}
