using System.Text.Json.Nodes;
using EdgeFleet.Api.Schema;

namespace EdgeFleet.Api.Tests;

public sealed class SchemaValidatorTests
{
    private static JsonObject Schema(string json) => JsonNode.Parse(json)!.AsObject();

    private static List<string> Errors(string schema, string value) =>
        SchemaValidator.Validate(Schema(schema), JsonNode.Parse(value), "spec").Select(e => e.ToString()).ToList();

    [Theory]
    [InlineData("1", true)]
    [InlineData("\"25%\"", true)]
    [InlineData("1.5", false)]
    [InlineData("true", false)]
    public void Validate_IntOrString_AcceptsOnlyIntegersAndStrings(string value, bool valid)
    {
        var errors = Errors("""{"anyOf":[{"type":"integer"},{"type":"string"}],"x-kubernetes-int-or-string":true}""", value);

        Assert.Equal(valid, errors.Count == 0);
    }

    [Fact]
    public void Validate_NumberWhereIntegerExpected_NamesTheType()
    {
        var errors = Errors("""{"type":"object","properties":{"replicas":{"type":"integer"}}}""", """{"replicas":2.5}""");

        Assert.Equal(["spec.replicas: Invalid value: 2.5: must be of type integer"], errors);
    }

    [Fact]
    public void Validate_NullWithoutNullable_IsRefused_WithNullableAccepted()
    {
        Assert.Single(Errors("""{"type":"object","properties":{"a":{"type":"string"}}}""", """{"a":null}"""));
        Assert.Empty(Errors("""{"type":"object","properties":{"a":{"type":"string","nullable":true}}}""", """{"a":null}"""));
    }

    [Fact]
    public void Validate_UnknownField_RefusedUnlessPreservedOrMap()
    {
        Assert.Equal(["spec.b: Unknown field"], Errors("""{"type":"object","properties":{"a":{"type":"string"}}}""", """{"b":"x"}"""));
        Assert.Empty(Errors("""{"type":"object","x-kubernetes-preserve-unknown-fields":true,"properties":{"a":{"type":"string"}}}""", """{"b":"x"}"""));
        Assert.Empty(Errors("""{"type":"object","additionalProperties":{"type":"string"}}""", """{"b":"x"}"""));
        Assert.Equal(["spec.b: Invalid value: 1: must be of type string"], Errors("""{"type":"object","additionalProperties":{"type":"string"}}""", """{"b":1}"""));
    }

    [Fact]
    public void Validate_ListTypeSetAndMap_RefuseDuplicates()
    {
        Assert.Equal(["spec[2]: Duplicate value: \"a\""], Errors("""{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}}""", """["a","b","a"]"""));
        Assert.Equal(
            ["spec[1]: Duplicate value: {\"name\":\"x\"}"],
            Errors("""{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],"items":{"type":"object","properties":{"name":{"type":"string"},"v":{"type":"integer"}}}}""", """[{"name":"x","v":1},{"name":"x","v":2}]"""));
    }

    [Fact]
    public void Validate_BoundsAndLengths_ReportEachViolation()
    {
        var schema = """{"type":"object","properties":{"n":{"type":"integer","minimum":1,"maximum":3},"s":{"type":"string","minLength":2,"maxLength":3},"l":{"type":"array","minItems":1,"maxItems":2,"items":{"type":"integer"}}}}""";

        Assert.Empty(Errors(schema, """{"n":3,"s":"abc","l":[1,2]}"""));
        Assert.Equal(3, Errors(schema, """{"n":0,"s":"a","l":[]}""").Count);
        Assert.Equal(
            ["spec.n: Invalid value: 4: should be less than or equal to 3", "spec.s: Too long: may not be more than 3 bytes", "spec.l: Too many: 3: must have at most 2 items"],
            Errors(schema, """{"n":4,"s":"abcd","l":[1,2,3]}"""));
    }

    [Fact]
    public void Validate_DateTimeFormat_RefusesNonTimestamps()
    {
        var schema = """{"type":"string","format":"date-time"}""";

        Assert.Empty(Errors(schema, "\"2026-11-22T00:00:00Z\""));
        Assert.Single(Errors(schema, "\"yesterday\""));
    }

    [Fact]
    public void Validate_NodesBuiltInCode_TypedLikeParsedOnes()
    {
        var schema = Schema("""{"type":"object","properties":{"a":{"type":"integer","maximum":5},"b":{"type":"number"}}}""");

        Assert.Empty(SchemaValidator.Validate(schema, new JsonObject { ["a"] = 5L, ["b"] = 2.5 }));
        Assert.Single(SchemaValidator.Validate(schema, new JsonObject { ["a"] = 6 }));
    }
}
