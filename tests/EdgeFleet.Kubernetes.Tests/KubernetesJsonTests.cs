using System.Text.Json.Nodes;

namespace EdgeFleet.Kubernetes.Tests;

public sealed class KubernetesJsonTests
{
    public enum Phase
    {
        Pending,
        Ready,
    }

    public sealed record Spec(int Replicas, string? Origin, Phase Phase);

    [Fact]
    public void FromObject_TypedRecord_CamelCaseWithoutNulls()
    {
        var node = KubernetesJson.FromObject(new Spec(3, null, Phase.Ready));

        Assert.Equal("""{"replicas":3,"phase":"Ready"}""", node.ToJsonString());
    }

    [Fact]
    public void ToObject_ServerJson_ReadsTypedRecord()
    {
        var spec = KubernetesJson.ToObject<Spec>(KubernetesJson.Parse("""{"replicas":2,"origin":"web","phase":"Pending","extra":true}"""));

        Assert.Equal(new Spec(2, "web", Phase.Pending), spec);
    }

    [Fact]
    public void ToObject_NumberAsString_IsRefusedAsTheApiServerWould()
    {
        Assert.Throws<System.Text.Json.JsonException>(() =>
            KubernetesJson.ToObject<Spec>(KubernetesJson.Parse("""{"replicas":"3","phase":"Ready"}""")));
    }

    [Fact]
    public void Generation_CodeBuiltAndParsedIntegers_ReadAlike()
    {
        var built = new JsonObject { ["metadata"] = new JsonObject { ["generation"] = 4 } };
        var parsed = KubernetesJson.Parse("""{"metadata":{"generation":4}}""");

        Assert.Equal(4, built.Generation());
        Assert.Equal(4, parsed.Generation());
    }
}
