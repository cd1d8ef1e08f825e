namespace EdgeFleet.Api.V1Alpha1;

/// <summary>A request to drop or revalidate an EdgeCache's objects by URL, prefix or tag.</summary>
public sealed record Invalidation() : CustomResource<InvalidationSpec, InvalidationStatus>(EdgeFleetApi.InvalidationKind);
