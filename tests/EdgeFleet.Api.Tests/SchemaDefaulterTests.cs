using System.Text.Json.Nodes;
using EdgeFleet.Api.Schema;

namespace EdgeFleet.Api.Tests;

public sealed class SchemaDefaulterTests
{
    private static readonly JsonObject Schema = JsonNode.Parse("""
        {"type":"object","properties":{
          "shield":{"type":"object","default":{},"properties":{"replicas":{"type":"integer","default":2}}},
          "regions":{"type":"array","items":{"type":"object","properties":{"replicas":{"type":"integer","default":2}}}},
          "tls":{"type":"object","properties":{"insecure":{"type":"boolean","default":false}}}}}
        """)!.AsObject();

    [Fact]
    public void Apply_EmptyObjectDefault_PicksUpNestedDefaults()
    {
        var value = new JsonObject();

        SchemaDefaulter.Apply(Schema, value);

        Assert.Equal("""{"shield":{"replicas":2}}""", value.ToJsonString());
    }

    [Fact]
    public void Apply_PresentValuesAndAbsentParents_AreLeftAlone()
    {
        var value = JsonNode.Parse("""{"shield":{"replicas":0},"regions":[{"replicas":5},{}]}""")!;

        SchemaDefaulter.Apply(Schema, value);

        Assert.Equal("""{"shield":{"replicas":0},"regions":[{"replicas":5},{"replicas":2}]}""", value.ToJsonString());
    }
}
