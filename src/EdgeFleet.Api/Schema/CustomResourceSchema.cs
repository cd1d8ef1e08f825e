using System.Text.Json.Nodes;

namespace EdgeFleet.Api.Schema;

/// <summary>
/// One served version of a CustomResourceDefinition: validates and defaults objects of its kind the
/// way the API server does on create and update, except that CEL rules are only listed.
/// </summary>
public sealed class CustomResourceSchema
{
    private CustomResourceSchema(JsonObject definition, JsonObject version, JsonObject schema)
    {
        Definition = definition;
        Group = definition["spec"]!["group"]!.GetValue<string>();
        Kind = definition["spec"]!["names"]!["kind"]!.GetValue<string>();
        Plural = definition["spec"]!["names"]!["plural"]!.GetValue<string>();
        Version = version["name"]!.GetValue<string>();
        VersionDefinition = version;
        OpenApiSchema = schema;
        ValidationRules = CollectRules(schema, "").ToList();
    }

    public JsonObject Definition { get; }

    public JsonObject VersionDefinition { get; }

    public JsonObject OpenApiSchema { get; }

    public string Group { get; }

    public string Version { get; }

    public string ApiVersion => Group + "/" + Version;

    public string Kind { get; }

    public string Plural { get; }

    /// <summary>The CEL rules of the schema; the API server evaluates them, this class does not.</summary>
    public IReadOnlyList<ValidationRule> ValidationRules { get; }

    /// <summary>Reads the given version (the storage version when null) of a CRD.</summary>
    public static CustomResourceSchema FromCrd(JsonNode crd, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(crd);
        if (crd is not JsonObject definition || definition["kind"]?.GetValue<string>() != "CustomResourceDefinition")
        {
            throw new ArgumentException("not a CustomResourceDefinition", nameof(crd));
        }

        var versions = definition["spec"]?["versions"] as JsonArray ?? [];
        var chosen = versions.OfType<JsonObject>().FirstOrDefault(v =>
            version is null ? v["storage"]?.GetValue<bool>() == true : v["name"]?.GetValue<string>() == version)
            ?? throw new ArgumentException($"the CRD has no version {version ?? "marked storage"}", nameof(version));
        var schema = chosen["schema"]?["openAPIV3Schema"] as JsonObject
            ?? throw new ArgumentException("the CRD version has no openAPIV3Schema", nameof(crd));
        return new CustomResourceSchema(definition, chosen, schema);
    }

    public static CustomResourceSchema FromFile(string path) => FromCrd(YamlDocuments.ParseFile(path).Single()!);

    /// <summary>Validates an object of this kind; an empty list means the API server's schema check would accept it.</summary>
    public IReadOnlyList<SchemaError> Validate(JsonNode? instance)
    {
        var errors = new List<SchemaError>();
        if (instance is JsonObject obj)
        {
            if (obj["apiVersion"]?.GetValue<string>() is var apiVersion && apiVersion != ApiVersion)
            {
                errors.Add(new("apiVersion", $"Invalid value: \"{apiVersion}\": must be {ApiVersion}"));
            }

            if (obj["kind"]?.GetValue<string>() is var kind && kind != Kind)
            {
                errors.Add(new("kind", $"Invalid value: \"{kind}\": must be {Kind}"));
            }

            if (obj["metadata"]?["name"] is null && obj["metadata"]?["generateName"] is null)
            {
                errors.Add(new("metadata.name", "Required value: name or generateName is required"));
            }
        }

        errors.AddRange(SchemaValidator.Validate(OpenApiSchema, instance));
        return errors;
    }

    /// <summary>Returns a copy of the object with the schema's defaults applied, as the API server stores it.</summary>
    public JsonNode? ApplyDefaults(JsonNode? instance)
    {
        var copy = instance?.DeepClone();
        SchemaDefaulter.Apply(OpenApiSchema, copy);
        return copy;
    }

    private static IEnumerable<ValidationRule> CollectRules(JsonObject schema, string path)
    {
        foreach (var rule in (schema["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            yield return new ValidationRule(path, rule["rule"]?.GetValue<string>() ?? "", rule["message"]?.GetValue<string>());
        }

        foreach (var (name, child) in schema["properties"] as JsonObject ?? [])
        {
            foreach (var rule in CollectRules((JsonObject)child!, SchemaPath.Field(path, name)))
            {
                yield return rule;
            }
        }

        if (schema["items"] is JsonObject items)
        {
            foreach (var rule in CollectRules(items, path + "[*]"))
            {
                yield return rule;
            }
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            foreach (var rule in CollectRules(additional, path + ".*"))
            {
                yield return rule;
            }
        }
    }
}
