using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EdgeFleet.Api.Schema;

/// <summary>
/// Checks the rules apiextensions.k8s.io/v1 puts on a CRD beyond its OpenAPI shape, the ones a CRD
/// author most often breaks: the schema is structural (every node typed, no properties next to
/// additionalProperties, no forbidden keywords, junctors without types), list-type map keys are
/// required or defaulted scalars, defaults pass their own schema, CEL rules are present and
/// plausibly formed, and printer columns point at fields that exist.
/// </summary>
public static partial class StructuralSchemaChecker
{
    private static readonly string[] Forbidden = ["$ref", "definitions", "patternProperties", "dependencies", "additionalItems", "id", "$schema"];
    private static readonly Dictionary<string, JsonObject> KeywordSchemas = BuildKeywordSchemas();
    private static readonly string[] Junctors = ["anyOf", "allOf", "oneOf"];
    private static readonly string[] ForbiddenInJunctors = ["type", "additionalProperties", "description", "default", "nullable", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-validations"];

    private static Dictionary<string, JsonObject> BuildKeywordSchemas()
    {
        JsonObject Of(string json) => JsonNode.Parse(json)!.AsObject();
        var count = Of("""{"type":"integer","minimum":0}""");
        var number = Of("""{"type":"number"}""");
        var flag = Of("""{"type":"boolean"}""");
        var text = Of("""{"type":"string"}""");
        var texts = Of("""{"type":"array","items":{"type":"string"}}""");
        var schema = Of("""{"type":"object"}""");
        var schemas = Of("""{"type":"array","items":{"type":"object"}}""");
        var any = new JsonObject();
        var table = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var k in new[] { "maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties" })
        {
            table[k] = count;
        }

        foreach (var k in new[] { "maximum", "minimum", "multipleOf" })
        {
            table[k] = number;
        }

        foreach (var k in new[] { "exclusiveMaximum", "exclusiveMinimum", "uniqueItems", "nullable", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string" })
        {
            table[k] = flag;
        }

        foreach (var k in new[] { "id", "$schema", "$ref", "description", "format", "title", "pattern" })
        {
            table[k] = text;
        }

        foreach (var k in new[] { "properties", "patternProperties", "definitions", "dependencies" })
        {
            table[k] = Of("""{"type":"object","additionalProperties":{"type":"object"}}""");
        }

        foreach (var k in new[] { "allOf", "anyOf", "oneOf" })
        {
            table[k] = schemas;
        }

        table["type"] = Of("""{"type":"string","enum":["object","array","string","integer","number","boolean"]}""");
        table["required"] = texts;
        table["x-kubernetes-list-map-keys"] = texts;
        table["enum"] = Of("""{"type":"array"}""");
        table["items"] = schema;
        table["not"] = schema;
        table["additionalItems"] = any;
        table["additionalProperties"] = any;
        table["default"] = any;
        table["example"] = any;
        table["externalDocs"] = Of("""{"type":"object","properties":{"description":{"type":"string"},"url":{"type":"string"}}}""");
        table["x-kubernetes-list-type"] = Of("""{"type":"string","enum":["atomic","set","map"]}""");
        table["x-kubernetes-map-type"] = Of("""{"type":"string","enum":["granular","atomic"]}""");
        table["x-kubernetes-validations"] = Of("""
            {"type":"array","items":{"type":"object","required":["rule"],"properties":{
              "rule":{"type":"string","minLength":1},"message":{"type":"string"},"messageExpression":{"type":"string"},
              "reason":{"type":"string","enum":["FieldValueInvalid","FieldValueForbidden","FieldValueRequired","FieldValueDuplicate"]},
              "fieldPath":{"type":"string"},"optionalOldSelf":{"type":"boolean"}}}}
            """);
        return table;
    }

    public static IReadOnlyList<string> Check(CustomResourceSchema crd)
    {
        ArgumentNullException.ThrowIfNull(crd);
        var problems = new List<string>();
        var root = crd.OpenApiSchema;
        if (root["type"]?.GetValue<string>() != "object")
        {
            problems.Add("<root>: type must be object");
        }

        if (root["properties"]?["metadata"] is JsonObject metadata && metadata.Any(p => p.Key is not ("type" or "description")))
        {
            problems.Add("metadata: only type: object may be specified at the root's metadata");
        }

        CheckNode(root, "", problems);
        CheckRules(crd, problems);
        CheckPrinterColumns(crd, problems);
        return problems;
    }

    private static void CheckNode(JsonObject node, string path, List<string> problems)
    {
        var at = path.Length == 0 ? "<root>" : path;
        var intOrString = SchemaValidator.IsIntOrString(node);
        var preserve = node["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        if (intOrString)
        {
            if (node["type"] is not null)
            {
                problems.Add($"{at}: x-kubernetes-int-or-string must not have a type");
            }

            var anyOf = SchemaValidator.Schemas(node["anyOf"]).Select(s => s.ToJsonString()).ToList();
            if (anyOf.Count > 0 && !anyOf.SequenceEqual(["{\"type\":\"integer\"}", "{\"type\":\"string\"}"]))
            {
                problems.Add($"{at}: the anyOf of x-kubernetes-int-or-string must be [{{type: integer}}, {{type: string}}]");
            }
        }
        else if (node["type"] is null && !preserve)
        {
            problems.Add($"{at}: type is required in a structural schema");
        }

        CheckKeywords(node, at, problems);
        foreach (var name in SchemaValidator.Strings(node["required"]).Where(n => node["properties"]?[n] is null))
        {
            problems.Add($"{at}: required field {name} is not among the properties");
        }

        foreach (var value in node["enum"] as JsonArray ?? [])
        {
            foreach (var error in SchemaValidator.Validate(new JsonObject { ["type"] = node["type"]?.DeepClone() }, value, path))
            {
                problems.Add($"{at}: enum value does not have the node's type: {error}");
            }
        }

        if (node.ContainsKey("properties") && node.ContainsKey("additionalProperties"))
        {
            problems.Add($"{at}: properties and additionalProperties are mutually exclusive");
        }

        foreach (var keyword in Forbidden.Where(node.ContainsKey))
        {
            problems.Add($"{at}: {keyword} is not allowed in a CRD schema");
        }

        if (node["uniqueItems"]?.GetValue<bool>() == true)
        {
            problems.Add($"{at}: uniqueItems cannot be true (use x-kubernetes-list-type: set)");
        }

        if (node.ContainsKey("items") && node["items"] is not JsonObject)
        {
            problems.Add($"{at}: items must be a single schema");
        }

        if (node["additionalProperties"] is JsonValue flag && flag.GetValue<bool>() is false)
        {
            problems.Add($"{at}: additionalProperties: false is not allowed; unknown fields are pruned");
        }

        if (!intOrString)
        {
            foreach (var junctor in Junctors.SelectMany(k => SchemaValidator.Schemas(node[k])).Append(node["not"] as JsonObject).OfType<JsonObject>())
            {
                foreach (var keyword in ForbiddenInJunctors.Where(junctor.ContainsKey))
                {
                    problems.Add($"{at}: {keyword} is not allowed inside anyOf/allOf/oneOf/not");
                }
            }
        }

        if (node["x-kubernetes-list-type"]?.GetValue<string>() == "map")
        {
            CheckListMap(node, at, problems);
        }

        if (node["default"] is { } defaultValue)
        {
            var copy = defaultValue.DeepClone();
            SchemaDefaulter.Apply(node, copy);
            foreach (var error in SchemaValidator.Validate(node, copy, path))
            {
                problems.Add($"{at}: default does not pass its schema: {error}");
            }
        }

        foreach (var (name, child) in node["properties"] as JsonObject ?? [])
        {
            CheckNode((JsonObject)child!, SchemaPath.Field(path, name), problems);
        }

        if (node["items"] is JsonObject items)
        {
            CheckNode(items, path + "[*]", problems);
        }

        if (node["additionalProperties"] is JsonObject additional)
        {
            CheckNode(additional, path + ".*", problems);
        }
    }

    // The API server decodes a schema node into JSONSchemaProps strictly: an unknown or misspelt
    // keyword, or a keyword of the wrong JSON type, makes the whole CRD fail to apply.
    private static void CheckKeywords(JsonObject node, string at, List<string> problems)
    {
        foreach (var (keyword, value) in node)
        {
            if (!KeywordSchemas.TryGetValue(keyword, out var keywordSchema))
            {
                problems.Add($"{at}: {keyword} is not a JSONSchemaProps keyword");
                continue;
            }

            foreach (var error in SchemaValidator.Validate(keywordSchema, value, keyword))
            {
                problems.Add($"{at}: {error}");
            }
        }

        if (node["pattern"] is JsonValue pattern && pattern.GetValueKind() == System.Text.Json.JsonValueKind.String)
        {
            var text = pattern.GetValue<string>();
            try
            {
                _ = new Regex(text, RegexOptions.CultureInvariant);
                if (NotRe2().IsMatch(text))
                {
                    problems.Add($"{at}: pattern {text} uses lookaround or backreferences, which the API server's RE2 does not support");
                }
            }
            catch (ArgumentException e)
            {
                problems.Add($"{at}: pattern {text} does not compile: {e.Message}");
            }
        }
    }

    private static void CheckListMap(JsonObject node, string at, List<string> problems)
    {
        var keys = SchemaValidator.Strings(node["x-kubernetes-list-map-keys"]).ToList();
        var items = node["items"] as JsonObject;
        if (keys.Count == 0 || items?["type"]?.GetValue<string>() != "object")
        {
            problems.Add($"{at}: a list-type map needs x-kubernetes-list-map-keys and object items");
            return;
        }

        var required = SchemaValidator.Strings(items["required"]).ToHashSet();
        foreach (var key in keys)
        {
            var keySchema = items["properties"]?[key] as JsonObject;
            if (keySchema is null)
            {
                problems.Add($"{at}: list-map key {key} is not a property of the items");
            }
            else if (!required.Contains(key) && keySchema["default"] is null)
            {
                problems.Add($"{at}: list-map key {key} must be required or have a default");
            }
            else if (keySchema["type"]?.GetValue<string>() is "object" or "array")
            {
                problems.Add($"{at}: list-map key {key} must be a scalar");
            }
        }
    }

    // CEL is not evaluated here; this catches what a typo most often produces.
    private static void CheckRules(CustomResourceSchema crd, List<string> problems)
    {
        foreach (var rule in crd.ValidationRules)
        {
            var at = rule.Path.Length == 0 ? "<root>" : rule.Path;
            if (string.IsNullOrWhiteSpace(rule.Message))
            {
                problems.Add($"{at}: CEL rule {rule.Rule} has no message; the API server would print the rule itself");
            }

            if (!SelfReference().IsMatch(rule.Rule))
            {
                problems.Add($"{at}: CEL rule {rule.Rule} does not refer to self");
            }

            if (!Balanced(rule.Rule))
            {
                problems.Add($"{at}: CEL rule {rule.Rule} has unbalanced brackets or quotes");
            }
        }
    }

    private static bool Balanced(string rule)
    {
        var stack = new Stack<char>();
        char? quote = null;
        foreach (var c in rule)
        {
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
                continue;
            }

            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    break;
                case '(' or '[' or '{':
                    stack.Push(c);
                    break;
                case ')' or ']' or '}':
                    var open = c switch { ')' => '(', ']' => '[', _ => '{' };
                    if (stack.Count == 0 || stack.Pop() != open)
                    {
                        return false;
                    }

                    break;
            }
        }

        return quote is null && stack.Count == 0;
    }

    private static void CheckPrinterColumns(CustomResourceSchema crd, List<string> problems)
    {
        foreach (var column in (crd.VersionDefinition["additionalPrinterColumns"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = column["name"]?.GetValue<string>();
            var jsonPath = column["jsonPath"]?.GetValue<string>() ?? "";
            if (jsonPath == ".metadata.creationTimestamp")
            {
                continue;
            }

            JsonObject? node = crd.OpenApiSchema;
            foreach (var segment in ColumnSegment().Matches(jsonPath).Select(m => m.Groups[1].Value))
            {
                node = node?["properties"]?[segment] as JsonObject;
                while (node?["type"]?.GetValue<string>() == "array")
                {
                    node = node["items"] as JsonObject;
                }
            }

            if (node is null || !jsonPath.StartsWith('.'))
            {
                problems.Add($"printer column {name}: {jsonPath} names no field of the schema");
            }
        }
    }

    [GeneratedRegex(@"\(\?<?[=!]|\\[1-9]", RegexOptions.CultureInvariant)]
    private static partial Regex NotRe2();

    [GeneratedRegex(@"\bself\b", RegexOptions.CultureInvariant)]
    private static partial Regex SelfReference();

    // Field names of a column's JSONPath; [*] and [?(...)] filters step into list items.
    [GeneratedRegex(@"\.([A-Za-z0-9_]+)(?![^\[]*\])", RegexOptions.CultureInvariant)]
    private static partial Regex ColumnSegment();
}
