using EdgeFleet.Operator.Reconcilers;

namespace EdgeFleet.Operator.Tests;

public sealed class ClusterEdgeEndpointsTests
{
    [Fact]
    public void Resolve_TwoRegions_EveryReplicaThroughItsRegionsHeadlessService()
    {
        var pods = new ClusterEdgeEndpoints().Resolve(Fixtures.EdgeCache());

        Assert.Equal(
            [
                ("www-edge-eu-west-0", "http://www-edge-eu-west-0.www-edge-eu-west.default.svc:8081/"),
                ("www-edge-eu-west-1", "http://www-edge-eu-west-1.www-edge-eu-west.default.svc:8081/"),
                ("www-edge-eu-west-2", "http://www-edge-eu-west-2.www-edge-eu-west.default.svc:8081/"),
                ("www-edge-us-east-0", "http://www-edge-us-east-0.www-edge-us-east.default.svc:8081/"),
                ("www-edge-us-east-1", "http://www-edge-us-east-1.www-edge-us-east.default.svc:8081/"),
            ],
            pods.Select(p => (p.Name, p.AdminUri.ToString())));
    }

    [Fact]
    public void Resolve_Names_AreTheStatefulSetsServiceName()
    {
        var edgeCache = Fixtures.EdgeCache();
        var fleet = Fixtures.Fleet(edgeCache: edgeCache);

        foreach (var pod in new ClusterEdgeEndpoints().Resolve(edgeCache))
        {
            var statefulSet = pod.Name[..pod.Name.LastIndexOf('-')];
            Assert.Equal(statefulSet, (string?)Fixtures.Find(fleet, "StatefulSet", statefulSet)["spec"]!["serviceName"]);
            Assert.False((bool)Fixtures.Find(fleet, "Service", statefulSet)["spec"]!["publishNotReadyAddresses"]!);
            Assert.StartsWith($"{pod.Name}.{statefulSet}.", pod.AdminUri.Host, StringComparison.Ordinal);
        }
    }
}
