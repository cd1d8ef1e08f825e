namespace EdgeFleet.Api.V1Alpha1;

/// <summary>The server an EdgeCache fetches content from, and how its content is cached.</summary>
public sealed record Origin() : CustomResource<OriginSpec, OriginStatus>(EdgeFleetApi.OriginKind);
