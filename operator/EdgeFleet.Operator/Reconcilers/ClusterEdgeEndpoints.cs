using System.Globalization;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Operator.Builders;

namespace EdgeFleet.Operator.Reconcilers;

/// <summary>
/// In a cluster: each edge pod by its stable StatefulSet DNS name through its region's headless
/// Service (the StatefulSet's <c>serviceName</c>),
/// <c>http://&lt;ec&gt;-edge-&lt;region&gt;-&lt;i&gt;.&lt;ec&gt;-edge-&lt;region&gt;.&lt;ns&gt;.svc:8081</c>
/// for every replica. That Service does not publish not-ready addresses, so the name of a pod that
/// is not ready does not resolve: the purge finds it unreachable and tries it again later.
/// </summary>
internal sealed class ClusterEdgeEndpoints : IEdgeEndpoints
{
    public IReadOnlyList<EdgePod> Resolve(EdgeCache edgeCache)
    {
        ArgumentNullException.ThrowIfNull(edgeCache);
        return edgeCache.Spec.Regions
            .Select(region => CacheTier.Edge(edgeCache, region))
            .SelectMany(tier => Enumerable.Range(0, tier.Replicas).Select(i => Pod(tier, i)))
            .ToList();
    }

    private static EdgePod Pod(CacheTier tier, int ordinal)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{tier.Name}-{ordinal}");
        return new EdgePod(name, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{name}.{tier.Name}.{tier.Namespace}.svc:{CachePaths.AdminPort}/")));
    }
}
