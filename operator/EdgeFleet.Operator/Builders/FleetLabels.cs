using System.Text.Json.Nodes;

namespace EdgeFleet.Operator.Builders;

/// <summary>The labels and annotations the operator puts on what it owns.</summary>
internal static class FleetLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Component = "app.kubernetes.io/component";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string Region = "edgefleet.io/region";

    public const string AppName = "edgefleet";
    public const string Manager = "edgefleet-operator";

    /// <summary>Pod annotation: hash of the rendered cache configuration, so a configuration change rolls the pods.</summary>
    public const string ConfigHashAnnotation = "edgefleet.io/config-hash";

    /// <summary>Object annotation: hash of the desired object, so a reconciler can skip no-op updates.</summary>
    public const string InputHashAnnotation = "edgefleet.io/input-hash";

    public const string ExternalDnsHostname = "external-dns.alpha.kubernetes.io/hostname";
    public const string ExternalDnsTtl = "external-dns.alpha.kubernetes.io/ttl";

    /// <summary>The labels a tier's pods are selected by; they never change for the life of the StatefulSet.</summary>
    public static JsonObject Selector(CacheTier tier)
    {
        ArgumentNullException.ThrowIfNull(tier);
        var labels = new JsonObject
        {
            [Name] = AppName,
            [Instance] = tier.EdgeCacheName,
            [Component] = tier.Component,
        };
        if (tier.RegionName is { } region)
        {
            labels[Region] = region;
        }

        return labels;
    }

    /// <summary>The selector labels plus the manager label, for every object and pod of the tier.</summary>
    public static JsonObject For(CacheTier tier)
    {
        var labels = Selector(tier);
        labels[ManagedBy] = Manager;
        return labels;
    }
}
