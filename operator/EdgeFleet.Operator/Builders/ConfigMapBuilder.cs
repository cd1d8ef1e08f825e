using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeFleet.Api.V1Alpha1;

namespace EdgeFleet.Operator.Builders;

/// <summary>The ConfigMap holding a tier's edgefleet.json, mounted at /etc/edgefleet.</summary>
internal static class ConfigMapBuilder
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject Build(EdgeCache edgeCache, CacheTier tier, JsonObject cacheConfig)
    {
        ArgumentNullException.ThrowIfNull(tier);
        ArgumentNullException.ThrowIfNull(cacheConfig);
        var configMap = ObjectMetadata.Object("v1", "ConfigMap", ObjectMetadata.For(edgeCache, tier.Name, FleetLabels.For(tier)));
        configMap["data"] = new JsonObject { [CachePaths.ConfigFileName] = cacheConfig.ToJsonString(Indented) + "\n" };
        return configMap;
    }
}
