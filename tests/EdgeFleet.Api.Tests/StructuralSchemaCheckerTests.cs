using System.Text.Json.Nodes;
using EdgeFleet.Api.Schema;

namespace EdgeFleet.Api.Tests;

public sealed class StructuralSchemaCheckerTests
{
    private static IReadOnlyList<string> Check(string schema, string columns = "[]")
    {
        var crd = JsonNode.Parse($$$"""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "spec":{"group":"edgefleet.io","names":{"kind":"Thing","plural":"things"},
               "versions":[{"name":"v1alpha1","served":true,"storage":true,"additionalPrinterColumns":{{{columns}}},
                 "schema":{"openAPIV3Schema":{{{schema}}}}}]}}
            """)!;
        return StructuralSchemaChecker.Check(CustomResourceSchema.FromCrd(crd));
    }

    [Fact]
    public void Check_MinimalStructuralSchema_NoProblems()
    {
        Assert.Empty(Check("""{"type":"object","properties":{"spec":{"type":"object","properties":{"a":{"type":"string"}}}}}"""));
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"spec":{"properties":{}}}}""", "spec: type is required")]
    [InlineData("""{"type":"object","properties":{"spec":{"type":"object","properties":{},"additionalProperties":{"type":"string"}}}}""", "spec: properties and additionalProperties are mutually exclusive")]
    [InlineData("""{"type":"object","properties":{"spec":{"type":"array","uniqueItems":true,"items":{"type":"string"}}}}""", "spec: uniqueItems cannot be true")]
    [InlineData("""{"type":"object","properties":{"spec":{"type":"object","$ref":"#/x"}}}""", "spec: $ref is not allowed")]
    [InlineData("""{"type":"object","properties":{"spec":{"type":"integer","default":"x"}}}""", "spec: default does not pass its schema")]
    [InlineData("""{"type":"object","properties":{"spec":{"type":"string","anyOf":[{"type":"string"}]}}}""", "spec: type is not allowed inside anyOf")]
    [InlineData("""{"type":"object","properties":{"spec":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],"items":{"type":"object","properties":{"name":{"type":"string"}}}}}}""", "spec: list-map key name must be required or have a default")]
    [InlineData("""{"type":"object","properties":{"spec":{"type":"object","x-kubernetes-validations":[{"rule":"self.a > (1","message":"m"}]}}}""", "spec: CEL rule self.a > (1 has unbalanced")]
    [InlineData("""{"type":"object","properties":{"spec":{"type":"object","x-kubernetes-validations":[{"rule":"has(self.a)"}]}}}""", "spec: CEL rule has(self.a) has no message")]
    [InlineData("""{"type":"object","properties":{"metadata":{"type":"object","properties":{"name":{"type":"string"}}}}}""", "metadata: only type: object")]
    [InlineData("""{"type":"object","properties":{"spec":{"type":"objekt"}}}""", "spec: type: Unsupported value: \"objekt\"")]
    [InlineData("""{"type":"object","required":["sepc"],"properties":{"spec":{"type":"object"}}}""", "<root>: required field sepc is not among the properties")]
    [InlineData("""{"type":"object","properties":{"spec":{"type":"string","enum":["a",1]}}}""", "spec: enum value does not have the node's type")]
    [InlineData("""{"type":"object","properties":{"spec":{"type":"string","maxlength":3}}}""", "spec: maxlength is not a JSONSchemaProps keyword")]
    [InlineData("""{"type":"object","properties":{"spec":{"type":"string","maxLength":"forty"}}}""", "spec: maxLength: Invalid value: \"forty\": must be of type integer")]
    [InlineData("""{"type":"object","properties":{"spec":{"type":"string","pattern":"^(a"}}}""", "spec: pattern ^(a does not compile")]
    [InlineData("""{"type":"object","properties":{"spec":{"type":"string","pattern":"^(?!x)"}}}""", "spec: pattern ^(?!x) uses lookaround")]
    [InlineData("""{"type":"object","properties":{"spec":{"type":"array","x-kubernetes-list-type":"bag","items":{"type":"string"}}}}""", "spec: x-kubernetes-list-type: Unsupported value")]
    [InlineData("""{"type":"object","properties":{"spec":{"type":"object","x-kubernetes-validations":[{"rul":"self.a","message":"m"}]}}}""", "spec: x-kubernetes-validations[0].rule: Required value")]
    public void Check_BrokenSchema_ReportsTheRule(string schema, string expected)
    {
        var problems = Check(schema);

        Assert.Contains(problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_PrinterColumnOnMissingField_IsReported()
    {
        var schema = """{"type":"object","properties":{"status":{"type":"object","properties":{"conditions":{"type":"array","items":{"type":"object","properties":{"type":{"type":"string"},"status":{"type":"string"}}}}}}}}""";

        Assert.Empty(Check(schema, """[{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}]"""));
        Assert.Equal(
            ["printer column Phase: .status.phase names no field of the schema"],
            Check(schema, """[{"name":"Phase","type":"string","jsonPath":".status.phase"}]"""));
    }
}
