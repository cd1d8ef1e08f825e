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
    /// <summary>Options for typed CRD classes: web defaults, nulls omitted, enums as strings.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Deserializes an object received from the server into a typed class.</summary>
    public static T ToObject<T>(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Deserialize<T>(Options) ?? throw new JsonException($"{typeof(T).Name}: the object deserialized to null");
    }

    /// <summary>Serializes a typed object into the form the client sends.</summary>
    public static JsonObject FromObject<T>(T value) =>
        JsonSerializer.SerializeToNode(value, Options) as JsonObject
        ?? throw new JsonException($"{typeof(T).Name} does not serialize to a JSON object");

    /// <summary>Parses a JSON text that must be an object.</summary>
    public static JsonObject Parse(string json) =>
        JsonNode.Parse(json) as JsonObject ?? throw new JsonException("expected a JSON object");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
