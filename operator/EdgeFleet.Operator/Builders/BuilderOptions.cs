namespace EdgeFleet.Operator.Builders;

/// <summary>Operator-wide settings the builders need beyond the custom resources.</summary>
internal sealed record BuilderOptions
{
    /// <summary>Cache server image when an EdgeCache names none.</summary>
    public string DefaultImage { get; init; } = "ghcr.io/edgefleet/edgefleet-cache:0.1.0";

    /// <summary>
    /// How long resolvers may keep answering with a pod's address after its record left DNS, beyond
    /// the TTL (resolvers that clamp or stretch TTLs, clients that cache a connection).
    /// </summary>
    public int ResolverSlackSeconds { get; init; } = 15;

    /// <summary>Time for in-flight responses to finish once the pod stops accepting new ones.</summary>
    public int DrainSeconds { get; init; } = 15;
}
