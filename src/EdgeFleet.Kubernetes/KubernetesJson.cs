using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace EdgeFleet.Kubernetes;

/// <summary>
/// The JSON conventions of the API (camelCase names, absent rather than null optional fields) and
/// the bridge between the client's <see cref="JsonObject"/> currency and typed classes: the
/// client speaks <see cref="JsonObject"/> for every kind, and a typed CRD class converts itself
/// with <see cref="ToObject{T}"/> and <see cref="FromObject{T}"/>.
/// </summary>
public static class KubernetesJson
{
    /// <summary>
    /// Options for typed classes: camelCase and case-sensitive names, nulls omitted, numbers only
    /// as JSON numbers, map keys (labels) untouched, enums as their names.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Deserializes an object received from the server into a typed class (with <see cref="Options"/> unless given others).</summary>
    public static T ToObject<T>(JsonObject obj, JsonSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Deserialize<T>(options ?? Options) ?? throw new JsonException($"{typeof(T).Name}: the object deserialized to null");
    }

    /// <summary>Serializes a typed object into the form the client sends.</summary>
    public static JsonObject FromObject<T>(T value, JsonSerializerOptions? options = null) =>
        JsonSerializer.SerializeToNode(value, options ?? Options) as JsonObject
        ?? throw new JsonException($"{typeof(T).Name} does not serialize to a JSON object");

    /// <summary>Parses a JSON text that must be an object.</summary>
    public static JsonObject Parse(string json) =>
        JsonNode.Parse(json) as JsonObject ?? throw new JsonException("expected a JSON object");

    private static JsonSerializerOptions CreateOptions()
    {
        // Not the web defaults: those read "3" as 3 and match names case-insensitively, which
        // would accept manifests the API server refuses.
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
