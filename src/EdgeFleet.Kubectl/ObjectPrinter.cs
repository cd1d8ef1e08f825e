using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace EdgeFleet.Kubectl;

/// <summary>Prints API objects as <c>-o json</c> and <c>-o yaml</c> do in kubectl.</summary>
internal static class ObjectPrinter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, IndentSize = 4 };

    // Quote strings that would otherwise read back as another type ("true", "8080", "null").
    private static readonly ISerializer Yaml = new SerializerBuilder().WithQuotingNecessaryStrings().Build();

    public static void Write(TextWriter writer, JsonNode node, OutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(node);
        if (format == OutputFormat.Yaml)
        {
            writer.Write(Yaml.Serialize(ToPlain(node)));
        }
        else
        {
            writer.WriteLine(node.ToJsonString(Indented));
        }
    }

    /// <summary>A <c>List</c> of objects, the shape kubectl prints for several objects.</summary>
    public static JsonObject List(IEnumerable<JsonObject> items) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "List",
        ["metadata"] = new JsonObject { ["resourceVersion"] = "" },
        ["items"] = new JsonArray([.. items.Select(i => i.DeepClone())]),
    };

    // Dictionaries, lists and primitives, which the YAML serializer writes as block YAML.
    private static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        JsonArray array => array.Select(ToPlain).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => Number(value.ToJsonString()),
            _ => null,
        },
        _ => null,
    };

    private static object Number(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole)
            ? whole
            : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
