namespace EdgeFleet.Api;

/// <summary>Group, version, kinds and plurals of the edgefleet.io API.</summary>
public static class EdgeFleetApi
{
    public const string Group = "edgefleet.io";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;

    public const string OriginKind = "Origin";
    public const string EdgeCacheKind = "EdgeCache";
    public const string InvalidationKind = "Invalidation";

    public const string OriginPlural = "origins";
    public const string EdgeCachePlural = "edgecaches";
    public const string InvalidationPlural = "invalidations";
}
