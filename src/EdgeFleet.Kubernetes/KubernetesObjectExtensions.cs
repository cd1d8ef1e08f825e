using System.Text.Json.Nodes;

namespace EdgeFleet.Kubernetes;

/// <summary>Reads and writes the common <c>metadata</c> fields of an object held as a <see cref="JsonObject"/>.</summary>
public static class KubernetesObjectExtensions
{
    /// <summary>The metadata object, created when absent.</summary>
    public static JsonObject Metadata(this JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = [];
        obj["metadata"] = metadata;
        return metadata;
    }

    public static string? Name(this JsonObject obj) => Text(obj, "name");

    public static string? Namespace(this JsonObject obj) => Text(obj, "namespace");

    public static string? Uid(this JsonObject obj) => Text(obj, "uid");

    public static string? ResourceVersion(this JsonObject obj) => Text(obj, "resourceVersion");

    public static string? DeletionTimestamp(this JsonObject obj) => Text(obj, "deletionTimestamp");

    public static long Generation(this JsonObject obj) => obj.Metadata()["generation"] is JsonValue v ? AsLong(v) : 0;

    /// <summary>
    /// A JSON integer as a long, whether the node was parsed (backed by a JsonElement) or built in
    /// code from an int (which <c>TryGetValue&lt;long&gt;</c> alone would not convert).
    /// </summary>
    public static long AsLong(JsonValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.TryGetValue(out long l) ? l
            : value.TryGetValue(out int i) ? i
            : long.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out l) ? l
            : 0;
    }

    /// <summary><c>namespace/name</c>, or <c>name</c> for a cluster-scoped object: the cache key convention.</summary>
    public static string Key(this JsonObject obj) => KeyOf(obj.Namespace(), obj.Name() ?? "");

    public static string KeyOf(string? @namespace, string name) =>
        string.IsNullOrEmpty(@namespace) ? name : $"{@namespace}/{name}";

    /// <summary>A label value, or null.</summary>
    public static string? Label(this JsonObject obj, string key) =>
        obj.Metadata()["labels"] is JsonObject labels ? (string?)labels[key] : null;

    /// <summary>An annotation value, or null.</summary>
    public static string? Annotation(this JsonObject obj, string key) =>
        obj.Metadata()["annotations"] is JsonObject annotations ? (string?)annotations[key] : null;

    /// <summary>The finalizers, in order.</summary>
    public static IReadOnlyList<string> Finalizers(this JsonObject obj) =>
        obj.Metadata()["finalizers"] is JsonArray list
            ? list.Select(f => (string?)f).OfType<string>().ToList()
            : [];

    /// <summary>
    /// An ownerReference (API conventions, "Object references"; garbage collection) that makes this
    /// object a controlled dependent of <paramref name="owner"/>.
    /// </summary>
    public static JsonObject ControllerReference(this JsonObject owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return new JsonObject
        {
            ["apiVersion"] = (string?)owner["apiVersion"],
            ["kind"] = (string?)owner["kind"],
            ["name"] = owner.Name(),
            ["uid"] = owner.Uid(),
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        };
    }

    private static string? Text(JsonObject obj, string field) => (string?)obj.Metadata()[field];
}
