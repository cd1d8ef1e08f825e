using EdgeFleet.Api.V1Alpha1;

namespace EdgeFleet.Operator.Reconcilers;

/// <summary>Where the admin API of an EdgeCache's shield pods is reached; replaceable for tests.</summary>
internal interface IShieldEndpoints
{
    /// <summary>Base URLs of the shield pods' admin ports, in the order to try them.</summary>
    IReadOnlyList<Uri> Resolve(EdgeCache edgeCache);
}
