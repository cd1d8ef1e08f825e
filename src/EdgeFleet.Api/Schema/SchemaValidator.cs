using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EdgeFleet.Api.Schema;

/// <summary>
/// Validates a value against a structural OpenAPI v3 schema as the Kubernetes API server does for
/// custom resources: types (with <c>nullable</c> and <c>x-kubernetes-int-or-string</c>), required
/// fields, enums, patterns, bounds, formats, list-type map and set uniqueness, and, like kubectl's
/// default strict field validation, unknown fields. CEL rules are not evaluated (see
/// <see cref="CustomResourceSchema.ValidationRules"/>).
/// </summary>
public static class SchemaValidator
{
    public static IReadOnlyList<SchemaError> Validate(JsonObject schema, JsonNode? value, string path = "")
    {
        ArgumentNullException.ThrowIfNull(schema);
        var errors = new List<SchemaError>();
        Check(schema, value, path ?? "", errors);
        return errors;
    }

    private static void Check(JsonObject schema, JsonNode? value, string path, List<SchemaError> errors)
    {
        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true && (schema["type"] is not null || IsIntOrString(schema)))
            {
                errors.Add(new(path, $"Invalid value: \"null\": must be of type {TypeName(schema)}"));
            }

            return;
        }

        var actual = KindOf(value);
        if (IsIntOrString(schema))
        {
            if (actual is not ("integer" or "string"))
            {
                errors.Add(new(path, $"Invalid value: {Show(value)}: must be of type integer or string"));
                return;
            }
        }
        else if (schema["type"]?.GetValue<string>() is { } expected && !(expected == actual || (expected == "number" && actual == "integer")))
        {
            errors.Add(new(path, $"Invalid value: {Show(value)}: must be of type {expected}"));
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(item => JsonNode.DeepEquals(item, value)))
        {
            var list = string.Join(", ", allowed.Select(Show));
            errors.Add(new(path, $"Unsupported value: {Show(value)}: supported values: {list}"));
        }

        switch (value)
        {
            case JsonObject obj:
                CheckObject(schema, obj, path, errors);
                break;
            case JsonArray array:
                CheckArray(schema, array, path, errors);
                break;
            default:
                CheckScalar(schema, (JsonValue)value, actual, path, errors);
                break;
        }

        foreach (var sub in Schemas(schema["allOf"]))
        {
            Check(sub, value, path, errors);
        }

        // anyOf in a structural schema only adds value validations; int-or-string's anyOf is its type list.
        var anyOf = Schemas(schema["anyOf"]).ToList();
        if (anyOf.Count > 0 && !IsIntOrString(schema) && !anyOf.Any(sub => Validate(sub, value, path).Count == 0))
        {
            errors.Add(new(path, $"Invalid value: {Show(value)}: must match at least one of the alternatives"));
        }

        var oneOf = Schemas(schema["oneOf"]).ToList();
        if (oneOf.Count > 0 && oneOf.Count(sub => Validate(sub, value, path).Count == 0) != 1)
        {
            errors.Add(new(path, $"Invalid value: {Show(value)}: must match exactly one of the alternatives"));
        }

        if (schema["not"] is JsonObject not && Validate(not, value, path).Count == 0)
        {
            errors.Add(new(path, $"Invalid value: {Show(value)}: must not match the excluded schema"));
        }
    }

    private static void CheckObject(JsonObject schema, JsonObject obj, string path, List<SchemaError> errors)
    {
        var properties = schema["properties"] as JsonObject;
        foreach (var name in Strings(schema["required"]))
        {
            if (!obj.ContainsKey(name))
            {
                errors.Add(new(SchemaPath.Field(path, name), "Required value"));
            }
        }

        var additional = schema["additionalProperties"];
        var preserveUnknown = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        foreach (var (name, child) in obj)
        {
            var childPath = SchemaPath.Field(path, name);
            if (properties?[name] is JsonObject propertySchema)
            {
                Check(propertySchema, child, childPath, errors);
            }
            else if (additional is JsonObject additionalSchema)
            {
                Check(additionalSchema, child, childPath, errors);
            }
            else if (properties is not null && !preserveUnknown && additional is not JsonValue)
            {
                errors.Add(new(childPath, "Unknown field"));
            }
        }

        if (Number(schema["maxProperties"]) is { } maxProperties && obj.Count > maxProperties)
        {
            errors.Add(new(path, $"Too many: {obj.Count}: must have at most {maxProperties} properties"));
        }

        if (Number(schema["minProperties"]) is { } minProperties && obj.Count < minProperties)
        {
            errors.Add(new(path, $"Invalid value: {obj.Count}: must have at least {minProperties} properties"));
        }
    }

    private static void CheckArray(JsonObject schema, JsonArray array, string path, List<SchemaError> errors)
    {
        if (Number(schema["maxItems"]) is { } maxItems && array.Count > maxItems)
        {
            errors.Add(new(path, $"Too many: {array.Count}: must have at most {maxItems} items"));
        }

        if (Number(schema["minItems"]) is { } minItems && array.Count < minItems)
        {
            errors.Add(new(path, $"Invalid value: {array.Count}: should have at least {minItems} items"));
        }

        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(items, array[i], SchemaPath.Index(path, i), errors);
            }
        }

        var listType = schema["x-kubernetes-list-type"]?.GetValue<string>();
        if (listType == "map")
        {
            var keys = Strings(schema["x-kubernetes-list-map-keys"]).ToList();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < array.Count; i++)
            {
                var key = new JsonObject(keys.Select(k => KeyValuePair.Create(k, (array[i] as JsonObject)?[k]?.DeepClone())));
                if (!seen.Add(key.ToJsonString()))
                {
                    errors.Add(new(SchemaPath.Index(path, i), $"Duplicate value: {key.ToJsonString()}"));
                }
            }
        }
        else if (listType == "set" || schema["uniqueItems"]?.GetValue<bool>() == true)
        {
            for (var i = 1; i < array.Count; i++)
            {
                if (Enumerable.Range(0, i).Any(j => JsonNode.DeepEquals(array[j], array[i])))
                {
                    errors.Add(new(SchemaPath.Index(path, i), $"Duplicate value: {Show(array[i])}"));
                }
            }
        }
    }

    private static void CheckScalar(JsonObject schema, JsonValue value, string kind, string path, List<SchemaError> errors)
    {
        if (kind == "string")
        {
            var text = value.GetValue<string>();
            var length = text.EnumerateRunes().Count();
            if (Number(schema["maxLength"]) is { } maxLength && length > maxLength)
            {
                errors.Add(new(path, $"Too long: may not be more than {maxLength} bytes"));
            }

            if (Number(schema["minLength"]) is { } minLength && length < minLength)
            {
                errors.Add(new(path, $"Invalid value: {Show(value)}: should be at least {minLength} chars long"));
            }

            if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            {
                errors.Add(new(path, $"Invalid value: {Show(value)}: should match '{pattern}'"));
            }

            if (schema["format"]?.GetValue<string>() == "date-time" && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
            {
                errors.Add(new(path, $"Invalid value: {Show(value)}: must be a date-time (RFC 3339)"));
            }

            return;
        }

        if (kind is "integer" or "number")
        {
            var number = Number(value)!.Value;
            if (Number(schema["minimum"]) is { } minimum)
            {
                var exclusive = schema["exclusiveMinimum"]?.GetValue<bool>() == true;
                if (exclusive ? number <= minimum : number < minimum)
                {
                    errors.Add(new(path, $"Invalid value: {Show(value)}: should be greater than {(exclusive ? "" : "or equal to ")}{minimum.ToString(CultureInfo.InvariantCulture)}"));
                }
            }

            if (Number(schema["maximum"]) is { } maximum)
            {
                var exclusive = schema["exclusiveMaximum"]?.GetValue<bool>() == true;
                if (exclusive ? number >= maximum : number > maximum)
                {
                    errors.Add(new(path, $"Invalid value: {Show(value)}: should be less than {(exclusive ? "" : "or equal to ")}{maximum.ToString(CultureInfo.InvariantCulture)}"));
                }
            }

            if (schema["format"]?.GetValue<string>() == "int32" && (number < int.MinValue || number > int.MaxValue))
            {
                errors.Add(new(path, $"Invalid value: {Show(value)}: must fit in a 32-bit integer"));
            }
        }
    }

    internal static bool IsIntOrString(JsonObject schema) => schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;

    internal static string KindOf(JsonNode value)
    {
        return value switch
        {
            JsonObject => "object",
            JsonArray => "array",
            _ => value.GetValueKind() switch
            {
                JsonValueKind.String => "string",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                JsonValueKind.Number => IsInteger(value) ? "integer" : "number",
                _ => "null",
            },
        };
    }

    // JSON text, not the CLR type behind a node, decides: nodes built in code and parsed ones must agree.
    private static bool IsInteger(JsonNode value) => value.ToJsonString().All(c => char.IsAsciiDigit(c) || c == '-');

    internal static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;

    private static string TypeName(JsonObject schema) => IsIntOrString(schema) ? "integer or string" : schema["type"]?.GetValue<string>() ?? "any";

    private static string Show(JsonNode? value) => value?.ToJsonString() ?? "null";

    internal static IEnumerable<JsonObject> Schemas(JsonNode? node) => node is JsonArray array ? array.OfType<JsonObject>() : [];

    internal static IEnumerable<string> Strings(JsonNode? node) => node is JsonArray array ? array.Select(n => n!.GetValue<string>()) : [];
}
