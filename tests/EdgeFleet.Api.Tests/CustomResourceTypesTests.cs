using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EdgeFleet.Api.Schema;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.TestSupport;

namespace EdgeFleet.Api.Tests;

/// <summary>
/// The C# types of the three kinds and the CRD schemas are written by hand; these tests keep them
/// from drifting: every property exists on both sides with the same JSON type, and every schema
/// default is the C# initial value (builders read un-defaulted manifests in <c>render</c>).
/// </summary>
public sealed class CustomResourceTypesTests
{
    public static TheoryData<string, Type> Kinds => new()
    {
        { "origins", typeof(Origin) },
        { "edgecaches", typeof(EdgeCache) },
        { "invalidations", typeof(Invalidation) },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Type_Properties_MatchSchemaBothWays(string plural, Type type)
    {
        var problems = new List<string>();

        Compare(type, CustomResourceSchema.FromFile(RepositoryPaths.Crd(plural)).OpenApiSchema, "", problems);

        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Type_InitialValues_EqualSchemaDefaults(string plural, Type type)
    {
        var problems = new List<string>();

        CompareDefaults(type, CustomResourceSchema.FromFile(RepositoryPaths.Crd(plural)).OpenApiSchema, "", problems);

        Assert.Empty(problems);
    }

    [Fact]
    public void Compare_PropertyMissingFromSchema_IsReported()
    {
        var schema = JsonNode.Parse("""{"type":"object","properties":{"connect":{"type":"string"},"write":{"type":"string"}}}""")!.AsObject();
        var problems = new List<string>();

        Compare(typeof(OriginTimeouts), schema, "spec.timeouts", problems);

        Assert.Equal(["spec.timeouts.read: in the C# type, not in the schema", "spec.timeouts.write: in the schema, not in the C# type"], problems.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CompareDefaults_DifferentDefault_IsReported()
    {
        var schema = JsonNode.Parse("""{"type":"object","properties":{"connect":{"type":"string","default":"9s"},"read":{"type":"string"}}}""")!.AsObject();
        var problems = new List<string>();

        CompareDefaults(typeof(OriginTimeouts), schema, "spec.timeouts", problems);

        Assert.Equal(2, problems.Count);
        Assert.Contains("spec.timeouts.connect: schema default \"9s\", C# initial value \"5s\"", problems);
        Assert.Contains("spec.timeouts.read: C# initial value \"30s\" but the field is neither required nor defaulted", problems);
    }

    [Fact]
    public void Examples_RoundTripThroughTypes_KeepEveryField()
    {
        foreach (var path in ExampleFiles.Valid())
        {
            var manifest = ExampleFiles.Load(path);
            var type = manifest["kind"]!.GetValue<string>() switch
            {
                "Origin" => typeof(Origin),
                "EdgeCache" => typeof(EdgeCache),
                _ => typeof(Invalidation),
            };

            var typed = manifest.Deserialize(type, EdgeFleetJson.Options);
            var back = JsonSerializer.SerializeToNode(typed, type, EdgeFleetJson.Options)!;

            var defaulted = CrdCatalog.Embedded.For(manifest).ApplyDefaults(manifest)!;
            Assert.True(Subset(defaulted, back), $"{Path.GetFileName(path)}: {defaulted.ToJsonString()}\n!=\n{back.ToJsonString()}");
        }
    }

    // Every field the manifest (after defaulting) sets comes back with the same value.
    private static bool Subset(JsonNode? expected, JsonNode? actual) => expected switch
    {
        JsonObject obj => actual is JsonObject other && obj.All(p => Subset(p.Value, other[p.Key])),
        JsonArray array => actual is JsonArray other && array.Count == other.Count && array.Select((n, i) => Subset(n, other[i])).All(x => x),
        _ => JsonNode.DeepEquals(expected, actual),
    };

    private static void Compare(Type type, JsonObject schema, string path, List<string> problems)
    {
        var properties = schema["properties"]?.AsObject() ?? [];
        var members = JsonProperties(type).ToDictionary(p => p.Name, p => p.Type);
        foreach (var name in members.Keys.Except(properties.Select(p => p.Key)))
        {
            problems.Add($"{Join(path, name)}: in the C# type, not in the schema");
        }

        foreach (var (name, child) in properties)
        {
            if (!members.TryGetValue(name, out var memberType))
            {
                problems.Add($"{Join(path, name)}: in the schema, not in the C# type");
                continue;
            }

            if (path.Length == 0 && name == "metadata")
            {
                continue;
            }

            CompareValue(memberType, child!.AsObject(), Join(path, name), problems);
        }
    }

    private static void CompareValue(Type type, JsonObject schema, string path, List<string> problems)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var schemaType = SchemaValidator.IsIntOrString(schema) ? "int-or-string" : schema["type"]?.GetValue<string>();
        var (expected, element) = Classify(type);
        if (expected != schemaType)
        {
            problems.Add($"{path}: C# {type.Name} is {expected}, the schema says {schemaType}");
            return;
        }

        switch (expected)
        {
            case "array":
                CompareValue(element!, schema["items"]!.AsObject(), path + "[*]", problems);
                break;
            case "object" when element is not null:
                CompareValue(element, schema["additionalProperties"]!.AsObject(), path + ".*", problems);
                break;
            case "object":
                Compare(type, schema, path, problems);
                break;
        }
    }

    private static (string Kind, Type? Element) Classify(Type type)
    {
        if (type == typeof(string) || type == typeof(DateTimeOffset))
        {
            return ("string", null);
        }

        if (type == typeof(bool))
        {
            return ("boolean", null);
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return ("integer", null);
        }

        if (type == typeof(IntOrString))
        {
            return ("int-or-string", null);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            return ("array", type.GetGenericArguments()[0]);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
        {
            return ("object", type.GetGenericArguments()[1]);
        }

        return ("object", null);
    }

    private static void CompareDefaults(Type type, JsonObject schema, string path, List<string> problems)
    {
        var properties = schema["properties"]?.AsObject() ?? [];
        var required = SchemaValidator.Strings(schema["required"]).ToHashSet();
        var initial = JsonSerializer.SerializeToNode(JsonSerializer.Deserialize("{}", type, EdgeFleetJson.Options), type, EdgeFleetJson.Options)!.AsObject();
        foreach (var (name, memberType) in JsonProperties(type))
        {
            if (properties[name] is not JsonObject child || (path.Length == 0 && name == "metadata"))
            {
                continue;
            }

            var value = initial[name];
            if (child["default"] is { } schemaDefault)
            {
                var defaulted = schemaDefault.DeepClone();
                SchemaDefaulter.Apply(child, defaulted);
                if (!JsonNode.DeepEquals(defaulted, value))
                {
                    problems.Add($"{Join(path, name)}: schema default {defaulted.ToJsonString()}, C# initial value {value?.ToJsonString() ?? "null"}");
                }
            }
            else if (value is JsonValue or JsonArray && !required.Contains(name) && !(path.Length == 0 && name is "apiVersion" or "kind"))
            {
                problems.Add($"{Join(path, name)}: C# initial value {value.ToJsonString()} but the field is neither required nor defaulted");
            }

            var (kind, element) = Classify(Nullable.GetUnderlyingType(memberType) ?? memberType);
            if (kind == "object" && element is null)
            {
                CompareDefaults(memberType, child, Join(path, name), problems);
            }
            else if (kind == "array" && Classify(element!).Kind == "object" && child["items"] is JsonObject items)
            {
                CompareDefaults(element!, items, Join(path, name) + "[*]", problems);
            }
        }
    }

    private static IEnumerable<(string Name, Type Type)> JsonProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonExtensionDataAttribute>() is null && p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.Name != "EqualityContract")
            .Select(p => (p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name), p.PropertyType));

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
