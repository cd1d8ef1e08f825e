using System.Text.Json.Nodes;
using EdgeFleet.Operator.Builders;

namespace EdgeFleet.Operator.Tests;

public sealed class ConfigHashTests
{
    [Fact]
    public void Compute_SameContentDifferentKeyOrder_SameHash()
    {
        var a = JsonNode.Parse("""{"a":1,"b":{"x":[1,2],"y":"z"}}""");
        var b = JsonNode.Parse("""{"b":{"y":"z","x":[1,2]},"a":1}""");

        Assert.Equal(ConfigHash.Compute(a), ConfigHash.Compute(b));
        Assert.Matches("^[0-9a-f]{64}$", ConfigHash.Compute(a));
    }

    [Theory]
    [InlineData("""{"a":2,"b":{"x":[1,2],"y":"z"}}""")]
    [InlineData("""{"a":1,"b":{"x":[2,1],"y":"z"}}""")]
    [InlineData("""{"a":"1","b":{"x":[1,2],"y":"z"}}""")]
    [InlineData("""{"a":1,"b":{"x":[1,2],"y":"z","w":null}}""")]
    public void Compute_AnyValueChanged_DifferentHash(string changed)
    {
        var original = JsonNode.Parse("""{"a":1,"b":{"x":[1,2],"y":"z"}}""");

        Assert.NotEqual(ConfigHash.Compute(original), ConfigHash.Compute(JsonNode.Parse(changed)));
    }
}
