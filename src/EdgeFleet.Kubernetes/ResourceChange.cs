using System.Text.Json.Nodes;

namespace EdgeFleet.Kubernetes;

/// <summary>
/// A change to the local cache of a <see cref="ListWatch"/>: the object as it now is (or, for a
/// deletion, as it last was) and, for a modification, the previous state.
/// </summary>
public sealed record ResourceChange(ResourceChangeType Type, JsonObject Resource, JsonObject? Previous)
{
    /// <summary><c>namespace/name</c> of the object, the key a work queue holds.</summary>
    public string Key => Resource.Key();
}
