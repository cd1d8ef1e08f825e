using System.Text.Json.Nodes;

namespace EdgeFleet.Api.Schema;

/// <summary>
/// Applies <c>default</c> values of a structural schema in place, as the API server does: a missing
/// property with a default gets it, then defaulting continues inside it (so <c>default: {}</c> picks
/// up the defaults of its own properties).
/// </summary>
public static class SchemaDefaulter
{
    public static void Apply(JsonObject schema, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(schema);
        switch (value)
        {
            case JsonObject obj:
                if (schema["properties"] is JsonObject properties)
                {
                    foreach (var (name, child) in properties)
                    {
                        var childSchema = (JsonObject)child!;
                        if (!obj.ContainsKey(name) && childSchema["default"] is { } defaultValue)
                        {
                            obj[name] = defaultValue.DeepClone();
                        }

                        if (obj[name] is { } present)
                        {
                            Apply(childSchema, present);
                        }
                    }
                }

                if (schema["additionalProperties"] is JsonObject additional)
                {
                    foreach (var (_, child) in obj)
                    {
                        Apply(additional, child);
                    }
                }

                break;
            case JsonArray array when schema["items"] is JsonObject items:
                foreach (var item in array)
                {
                    Apply(items, item);
                }

                break;
        }
    }
}
