using EdgeFleet.Api.V1Alpha1;

namespace EdgeFleet.Operator.Reconcilers;

/// <summary>Where the admin API of each of an EdgeCache's edge pods is reached; replaceable for tests.</summary>
internal interface IEdgeEndpoints
{
    /// <summary>Every edge pod the EdgeCache asks for, region by region, ready or not.</summary>
    IReadOnlyList<EdgePod> Resolve(EdgeCache edgeCache);
}
