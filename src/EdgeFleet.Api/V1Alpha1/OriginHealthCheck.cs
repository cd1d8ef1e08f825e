namespace EdgeFleet.Api.V1Alpha1;

/// <summary>The active health check the shield tier runs against the origin.</summary>
public sealed record OriginHealthCheck
{
    public string Path { get; init; } = "/";

    public string Interval { get; init; } = "10s";

    public int ExpectStatus { get; init; } = 200;
}
