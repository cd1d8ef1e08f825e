using System.Text.Json.Nodes;
using EdgeFleet.Api.V1Alpha1;

namespace EdgeFleet.Operator.Builders;

/// <summary>A PodDisruptionBudget per tier: node drains take one cache pod of a region at a time.</summary>
internal static class PodDisruptionBudgetBuilder
{
    public static JsonObject Build(EdgeCache edgeCache, CacheTier tier)
    {
        ArgumentNullException.ThrowIfNull(tier);
        var budget = ObjectMetadata.Object("policy/v1", "PodDisruptionBudget", ObjectMetadata.For(edgeCache, tier.Name, FleetLabels.For(tier)));
        budget["spec"] = new JsonObject
        {
            ["maxUnavailable"] = 1,
            ["selector"] = new JsonObject { ["matchLabels"] = FleetLabels.Selector(tier) },

            // A pod that is not ready serves nothing; keeping it must not block a node drain.
            ["unhealthyPodEvictionPolicy"] = "AlwaysAllow",
        };
        return budget;
    }
}
