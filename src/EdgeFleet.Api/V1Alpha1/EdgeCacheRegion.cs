namespace EdgeFleet.Api.V1Alpha1;

/// <summary>One region of the fleet: a StatefulSet, a headless Service and a public DNS name.</summary>
public sealed record EdgeCacheRegion
{
    /// <summary>A DNS label.</summary>
    public string Name { get; init; } = "";

    /// <summary>Node labels; <c>topology.kubernetes.io/region=&lt;name&gt;</c> when null (applied by the operator's builders).</summary>
    public IReadOnlyDictionary<string, string>? NodeSelector { get; init; }

    public int Replicas { get; init; } = 2;

    public string DnsName { get; init; } = "";

    /// <summary>Overrides <see cref="EdgeCacheSpec.UpdateStrategy"/> for this region.</summary>
    public UpdateStrategy? UpdateStrategy { get; init; }
}
