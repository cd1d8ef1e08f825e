namespace EdgeFleet.Api.V1Alpha1;

/// <summary>The desired fleet. Defaults here equal the CRD's defaults.</summary>
public sealed record EdgeCacheSpec
{
    public LocalObjectReference OriginRef { get; init; } = new();

    public IReadOnlyList<EdgeCacheRegion> Regions { get; init; } = [];

    public ShieldSpec Shield { get; init; } = new();

    public CacheSpec Cache { get; init; } = new();

    public int DnsTtlSeconds { get; init; } = 30;

    /// <summary>Cache server image; the operator's default when null.</summary>
    public string? Image { get; init; }

    public string? ImagePullPolicy { get; init; }

    public ResourceRequirements? Resources { get; init; }

    public IReadOnlyDictionary<string, string>? PodAnnotations { get; init; }

    public IReadOnlyList<Toleration>? Tolerations { get; init; }

    public UpdateStrategy? UpdateStrategy { get; init; }
}
