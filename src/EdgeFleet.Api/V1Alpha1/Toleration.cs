namespace EdgeFleet.Api.V1Alpha1;

/// <summary>A pod toleration, as in core/v1.</summary>
public sealed record Toleration
{
    public string? Key { get; init; }

    public string? Operator { get; init; }

    public string? Value { get; init; }

    public string? Effect { get; init; }

    public long? TolerationSeconds { get; init; }
}
