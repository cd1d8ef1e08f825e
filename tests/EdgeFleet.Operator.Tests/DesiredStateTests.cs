using System.Text.Json.Nodes;
using EdgeFleet.Operator.Reconcilers;

namespace EdgeFleet.Operator.Tests;

public sealed class DesiredStateTests
{
    private static JsonObject Desired() => JsonNode.Parse("""
        {"metadata":{"name":"x","annotations":{"edgefleet.io/input-hash":"h1"}},
         "spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"cache","image":"i"}]}}}}
        """)!.AsObject();

    [Fact]
    public void IsSatisfiedBy_ServerAddedFields_StillSatisfied()
    {
        var live = Desired();
        live["metadata"]!["uid"] = "u";
        live["spec"]!["template"]!["spec"]!["containers"]![0]!["terminationMessagePath"] = "/dev/termination-log";
        live["status"] = new JsonObject { ["replicas"] = 3 };

        Assert.True(DesiredState.IsSatisfiedBy(Desired(), live));
    }

    [Fact]
    public void IsSatisfiedBy_FieldEditedWithHashKept_NotSatisfied()
    {
        var live = Desired();
        live["spec"]!["replicas"] = 9;

        Assert.False(DesiredState.IsSatisfiedBy(Desired(), live));
    }

    [Fact]
    public void IsSatisfiedBy_OtherHashOrMissingObjectOrExtraListItem_NotSatisfied()
    {
        var otherHash = Desired();
        otherHash["metadata"]!["annotations"]!["edgefleet.io/input-hash"] = "h2";
        var extraContainer = Desired();
        ((JsonArray)extraContainer["spec"]!["template"]!["spec"]!["containers"]!).Add(new JsonObject { ["name"] = "sidecar" });

        Assert.False(DesiredState.IsSatisfiedBy(Desired(), otherHash));
        Assert.False(DesiredState.IsSatisfiedBy(Desired(), null));
        Assert.False(DesiredState.IsSatisfiedBy(Desired(), extraContainer));
    }
}
