using EdgeFleet.Api.V1Alpha1;

namespace EdgeFleet.Operator.Builders;

/// <summary>
/// One group of cache pods the operator runs for an EdgeCache: the edge pods of one region, or the
/// shield tier. Every per-tier object (StatefulSet, headless Service, ConfigMap, PodDisruptionBudget)
/// is named <see cref="Name"/>.
/// </summary>
internal sealed record CacheTier
{
    public const string EdgeComponent = "edge";
    public const string ShieldComponent = "shield";

    private CacheTier(EdgeCache edgeCache, string component, EdgeCacheRegion? region)
    {
        EdgeCacheName = edgeCache.Metadata.Name;
        Namespace = edgeCache.Metadata.Namespace ?? "default";
        Component = component;
        Region = region;
        Name = region is null ? $"{EdgeCacheName}-shield" : $"{EdgeCacheName}-edge-{region.Name}";
        Replicas = region?.Replicas ?? edgeCache.Spec.Shield.Replicas;
    }

    public string EdgeCacheName { get; }

    public string Namespace { get; }

    /// <summary><see cref="EdgeComponent"/> or <see cref="ShieldComponent"/>.</summary>
    public string Component { get; }

    public EdgeCacheRegion? Region { get; }

    public string? RegionName => Region?.Name;

    public string Name { get; }

    public int Replicas { get; }

    public bool IsEdge => Region is not null;

    public static CacheTier Edge(EdgeCache edgeCache, EdgeCacheRegion region)
    {
        ArgumentNullException.ThrowIfNull(edgeCache);
        ArgumentNullException.ThrowIfNull(region);
        return new CacheTier(edgeCache, EdgeComponent, region);
    }

    public static CacheTier Shield(EdgeCache edgeCache)
    {
        ArgumentNullException.ThrowIfNull(edgeCache);
        return new CacheTier(edgeCache, ShieldComponent, null);
    }

    /// <summary>Name of the Secret holding the admin (notice and purge) credential of the whole fleet.</summary>
    public static string AdminSecretName(EdgeCache edgeCache)
    {
        ArgumentNullException.ThrowIfNull(edgeCache);
        return $"{edgeCache.Metadata.Name}-admin";
    }
}
