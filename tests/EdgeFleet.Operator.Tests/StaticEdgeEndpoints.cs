using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Operator.Reconcilers;

namespace EdgeFleet.Operator.Tests;

/// <summary>Edge pods fixed by the test: fake edges on loopback, under pod names, instead of cluster DNS names.</summary>
internal sealed class StaticEdgeEndpoints : IEdgeEndpoints
{
    private volatile IReadOnlyList<EdgePod> _pods = [];

    public void Set(params EdgePod[] pods) => _pods = pods;

    public IReadOnlyList<EdgePod> Resolve(EdgeCache edgeCache) => _pods;
}
