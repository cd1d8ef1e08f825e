using System.Text.Json.Nodes;
using EdgeFleet.Api.V1Alpha1;

namespace EdgeFleet.Operator.Builders;

/// <summary>
/// Every object the operator keeps for one EdgeCache, in apply order: the admin Secret, then per tier
/// (each region, then the shield tier) its ConfigMap, headless Service, StatefulSet and
/// PodDisruptionBudget. Each object carries <see cref="FleetLabels.InputHashAnnotation"/>, the hash
/// of its own desired content, so a reconciler skips objects whose inputs did not change.
/// </summary>
internal static class FleetBuilder
{
    public static IReadOnlyList<JsonObject> Build(Origin origin, EdgeCache edgeCache, string adminToken, BuilderOptions options)
    {
        ArgumentNullException.ThrowIfNull(edgeCache);
        var secret = AdminSecretBuilder.Build(edgeCache, adminToken);
        var secretName = CacheTier.AdminSecretName(edgeCache);
        var objects = new List<JsonObject> { secret };
        var tiers = edgeCache.Spec.Regions.Select(r => CacheTier.Edge(edgeCache, r)).Append(CacheTier.Shield(edgeCache));
        foreach (var tier in tiers)
        {
            var config = CacheConfigBuilder.Build(origin, edgeCache, tier, options);
            objects.Add(ConfigMapBuilder.Build(edgeCache, tier, config));
            objects.Add(ServiceBuilder.Build(edgeCache, tier));
            objects.Add(StatefulSetBuilder.Build(origin, edgeCache, tier, ConfigHash.Compute(config), secretName, options));
            objects.Add(PodDisruptionBudgetBuilder.Build(edgeCache, tier));
        }

        foreach (var obj in objects)
        {
            var hash = ConfigHash.Compute(obj);
            var metadata = obj["metadata"]!.AsObject();
            if (metadata["annotations"] is not JsonObject annotations)
            {
                annotations = new JsonObject();
                metadata["annotations"] = annotations;
            }

            annotations[FleetLabels.InputHashAnnotation] = hash;
        }

        return objects;
    }
}
