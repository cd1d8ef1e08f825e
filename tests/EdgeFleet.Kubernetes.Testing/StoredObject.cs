using System.Text.Json.Nodes;

namespace EdgeFleet.Kubernetes.Testing;

/// <summary>An object in the double's store, with its field owners (server-side apply's bookkeeping).</summary>
internal sealed class StoredObject(JsonObject obj)
{
    public JsonObject Object { get; set; } = obj;

    /// <summary>Field path to the manager that owns it.</summary>
    public Dictionary<string, string> Owners { get; } = new(StringComparer.Ordinal);

    /// <summary>Manager to the kind of its last operation: <c>Apply</c> or <c>Update</c>.</summary>
    public Dictionary<string, string> Operations { get; } = new(StringComparer.Ordinal);
}
