namespace EdgeFleet.Api.V1Alpha1;

/// <summary>The observed state of an Origin: conditions only (Ready reflects the origin's health check).</summary>
public sealed record OriginStatus : ResourceStatus;
