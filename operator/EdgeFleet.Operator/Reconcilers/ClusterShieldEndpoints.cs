using System.Globalization;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Operator.Builders;

namespace EdgeFleet.Operator.Reconcilers;

/// <summary>
/// In a cluster: each shield pod by its stable StatefulSet DNS name through the headless Service,
/// <c>http://&lt;ec&gt;-shield-&lt;i&gt;.&lt;ec&gt;-shield.&lt;ns&gt;.svc:8081</c> for every replica.
/// </summary>
internal sealed class ClusterShieldEndpoints : IShieldEndpoints
{
    public IReadOnlyList<Uri> Resolve(EdgeCache edgeCache)
    {
        ArgumentNullException.ThrowIfNull(edgeCache);
        var tier = CacheTier.Shield(edgeCache);
        return Enumerable.Range(0, tier.Replicas)
            .Select(i => new Uri(string.Create(
                CultureInfo.InvariantCulture, $"http://{tier.Name}-{i}.{tier.Name}.{tier.Namespace}.svc:{CachePaths.AdminPort}/")))
            .ToList();
    }
}
