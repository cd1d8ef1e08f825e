using EdgeFleet.Operator.Builders;

namespace EdgeFleet.Operator.Tests;

public sealed class ServiceBuilderTests
{
    [Fact]
    public void Build_Region_HeadlessWithExternalDnsNameAndTtl()
    {
        var edgeCache = Fixtures.EdgeCache();

        var service = ServiceBuilder.Build(edgeCache, CacheTier.Edge(edgeCache, edgeCache.Spec.Regions[1]));

        Assert.Equal("www-edge-us-east", service["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(
            """{"external-dns.alpha.kubernetes.io/hostname":"us.cdn.example.com","external-dns.alpha.kubernetes.io/ttl":"30"}""",
            Fixtures.Json(service["metadata"]!["annotations"]));
        Assert.Equal("None", service["spec"]!["clusterIP"]!.GetValue<string>());
        Assert.False(service["spec"]!["publishNotReadyAddresses"]!.GetValue<bool>());
        Assert.Equal("us-east", service["spec"]!["selector"]!["edgefleet.io/region"]!.GetValue<string>());
        Assert.Equal("""{"name":"http","port":8080,"targetPort":"http","protocol":"TCP"}""", Fixtures.Json(service["spec"]!["ports"]![0]));
    }

    [Fact]
    public void Build_Shield_HeadlessWithoutPublicName()
    {
        var edgeCache = Fixtures.EdgeCache();

        var service = ServiceBuilder.Build(edgeCache, CacheTier.Shield(edgeCache));

        Assert.Equal("www-shield", service["metadata"]!["name"]!.GetValue<string>());
        Assert.Null(service["metadata"]!["annotations"]);
        Assert.Equal("None", service["spec"]!["clusterIP"]!.GetValue<string>());
    }
}
