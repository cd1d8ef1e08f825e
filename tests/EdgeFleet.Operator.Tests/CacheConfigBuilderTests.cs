using System.Text.Json.Nodes;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Operator.Builders;

namespace EdgeFleet.Operator.Tests;

public sealed class CacheConfigBuilderTests
{
    private static JsonNode Section(string region, EdgeCache? edgeCache = null, Origin? origin = null)
    {
        edgeCache ??= Fixtures.EdgeCache();
        var tier = region == "shield" ? CacheTier.Shield(edgeCache) : CacheTier.Edge(edgeCache, edgeCache.Spec.Regions.Single(r => r.Name == region));
        return CacheConfigBuilder.Build(origin ?? Fixtures.Origin(), edgeCache, tier, Fixtures.Options)["EdgeFleet"]!;
    }

    [Fact]
    public void Build_EdgeRegion_TheCacheServerContract()
    {
        var config = Section("eu-west");

        Assert.Equal(
            """
            {"Origin":"https://origin.example.com","OriginHost":"www.example.com","Listen":"http://0.0.0.0:8080","AdminListen":"http://0.0.0.0:8081",
            "MemorySize":"2Gi","DiskPath":"/var/cache/edgefleet","DiskSize":"200Gi",
            "Shields":["http://www-shield-0.www-shield.default.svc:8080","http://www-shield-1.www-shield.default.svc:8080"],
            "LeaseDuration":"00:01:00","DefaultTtl":"00:05:00",
            "Downstream":[{"ContentTypes":["image/*","font/*","text/css","application/javascript"],"CacheControl":"public, max-age=2419200, immutable","Expires":"28.00:00:00"},
            {"ContentTypes":["text/html"],"CacheControl":"public, max-age=60, stale-while-revalidate=30"}],
            "DnsTtlSeconds":30,"ResolverSlackSeconds":15,"Region":"eu-west",
            "OriginConnectTimeout":"00:00:03","OriginReadTimeout":"00:00:30",
            "OriginTls":{"InsecureSkipVerify":false,"CaFile":"/var/run/edgefleet/origin-ca/ca.crt","ServerName":"origin.example.com"},
            "OriginHealthCheck":{"Path":"/healthz","Interval":"00:00:10","ExpectStatus":200},
            "Notices":{"UpdateMaxBytes":1048576,"UpdateMinRequestsPerMinute":10},
            "AdaptivePolling":{"Enabled":true,"MinInterval":"00:00:10","MaxInterval":"00:05:00"},
            "OriginNotificationTokenFile":"/var/run/edgefleet/origin-notify/token"}
            """.ReplaceLineEndings(""),
            Fixtures.Json(config));
    }

    [Fact]
    public void Build_Shield_NoShieldsAndNoRegion()
    {
        var config = Section("shield").AsObject();

        Assert.False(config.ContainsKey("Shields"));
        Assert.False(config.ContainsKey("Region"));
        Assert.Equal("https://origin.example.com", config["Origin"]!.GetValue<string>());
    }

    [Fact]
    public void Build_NoShieldReplicas_EdgesGoStraightToTheOrigin()
    {
        var edgeCache = Fixtures.EdgeCache() with { Spec = Fixtures.EdgeCache().Spec with { Shield = new ShieldSpec { Replicas = 0 } } };

        Assert.False(Section("eu-west", edgeCache).AsObject().ContainsKey("Shields"));
    }

    [Fact]
    public void Build_MinimalOrigin_DefaultsAndHostFromUrl()
    {
        var origin = new Origin { Metadata = new() { Name = "o" }, Spec = new OriginSpec { Url = "http://origin.internal:8080/base" } };

        var config = Section("eu-west", origin: origin).AsObject();

        Assert.Equal("origin.internal:8080", config["OriginHost"]!.GetValue<string>());
        Assert.Equal("00:01:00", config["LeaseDuration"]!.GetValue<string>());
        Assert.Equal("00:00:00", config["DefaultTtl"]!.GetValue<string>());
        Assert.Equal("[]", Fixtures.Json(config["Downstream"]));
        Assert.False(config.ContainsKey("OriginTls"));
        Assert.False(config.ContainsKey("OriginNotificationTokenFile"));
    }
}
