namespace EdgeFleet.Api.V1Alpha1;

/// <summary>A fleet of cache pods per region in front of one Origin, with a shield tier between them.</summary>
public sealed record EdgeCache() : CustomResource<EdgeCacheSpec, EdgeCacheStatus>(EdgeFleetApi.EdgeCacheKind);
