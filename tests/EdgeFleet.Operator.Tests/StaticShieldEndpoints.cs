using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Operator.Reconcilers;

namespace EdgeFleet.Operator.Tests;

/// <summary>Shield addresses fixed by the test: fake shields on loopback instead of cluster DNS names.</summary>
internal sealed class StaticShieldEndpoints(params Uri[] shields) : IShieldEndpoints
{
    public IReadOnlyList<Uri> Resolve(EdgeCache edgeCache) => shields;
}
