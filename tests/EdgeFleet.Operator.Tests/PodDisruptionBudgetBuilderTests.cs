using EdgeFleet.Operator.Builders;

namespace EdgeFleet.Operator.Tests;

public sealed class PodDisruptionBudgetBuilderTests
{
    [Fact]
    public void Build_Region_OnePodAtATimeSelectingTheRegion()
    {
        var edgeCache = Fixtures.EdgeCache();
        var tier = CacheTier.Edge(edgeCache, edgeCache.Spec.Regions[0]);

        var budget = PodDisruptionBudgetBuilder.Build(edgeCache, tier);

        Assert.Equal("policy/v1", budget["apiVersion"]!.GetValue<string>());
        Assert.Equal(1, budget["spec"]!["maxUnavailable"]!.GetValue<int>());
        Assert.Equal(Fixtures.Json(FleetLabels.Selector(tier)), Fixtures.Json(budget["spec"]!["selector"]!["matchLabels"]));
    }
}
