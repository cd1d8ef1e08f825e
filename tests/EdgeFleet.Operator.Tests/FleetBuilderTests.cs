using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Operator.Builders;
using EdgeFleet.TestSupport;

namespace EdgeFleet.Operator.Tests;

public sealed class FleetBuilderTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string ConfigHashOf(IEnumerable<JsonObject> objects, string statefulSet) =>
        Fixtures.Find(objects, "StatefulSet", statefulSet)["spec"]!["template"]!["metadata"]!["annotations"]!["edgefleet.io/config-hash"]!.GetValue<string>();

    private static string InputHashOf(IEnumerable<JsonObject> objects, string kind, string name) =>
        Fixtures.Find(objects, kind, name)["metadata"]!["annotations"]!["edgefleet.io/input-hash"]!.GetValue<string>();

    [Fact]
    public void Build_Example_EveryObjectInApplyOrder()
    {
        var names = Fixtures.Fleet().Select(o => $"{o["kind"]}/{o["metadata"]!["name"]}");

        Assert.Equal(
            [
                "Secret/www-admin",
                "ConfigMap/www-edge-eu-west", "Service/www-edge-eu-west", "StatefulSet/www-edge-eu-west", "PodDisruptionBudget/www-edge-eu-west",
                "ConfigMap/www-edge-us-east", "Service/www-edge-us-east", "StatefulSet/www-edge-us-east", "PodDisruptionBudget/www-edge-us-east",
                "ConfigMap/www-shield", "Service/www-shield", "StatefulSet/www-shield", "PodDisruptionBudget/www-shield",
            ],
            names);
    }

    [Fact]
    public void Build_EveryObject_OwnedByTheEdgeCacheAndLabelled()
    {
        foreach (var obj in Fixtures.Fleet())
        {
            var metadata = obj["metadata"]!;
            Assert.Equal(Fixtures.Uid, metadata["ownerReferences"]![0]!["uid"]!.GetValue<string>());
            Assert.Equal("edgefleet", metadata["labels"]!["app.kubernetes.io/name"]!.GetValue<string>());
            Assert.Equal("www", metadata["labels"]!["app.kubernetes.io/instance"]!.GetValue<string>());
            Assert.Equal("edgefleet-operator", metadata["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());
            Assert.Matches("^[0-9a-f]{64}$", metadata["annotations"]!["edgefleet.io/input-hash"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Build_WithoutUid_NoOwnerReferences()
    {
        var edgeCache = Fixtures.EdgeCache() with { Metadata = Fixtures.EdgeCache().Metadata with { Uid = null } };

        Assert.All(Fixtures.Fleet(edgeCache: edgeCache), o => Assert.Null(o["metadata"]!["ownerReferences"]));
    }

    [Fact]
    public void Build_SameInputs_SameObjects()
    {
        Assert.Equal(Fixtures.Fleet().Select(Fixtures.Json), Fixtures.Fleet().Select(Fixtures.Json));
    }

    [Fact]
    public void Build_OriginChange_ChangesEveryConfigHash()
    {
        var before = Fixtures.Fleet();
        var origin = Fixtures.Origin() with { Spec = Fixtures.Origin().Spec with { DefaultTtl = "10m" } };

        var after = Fixtures.Fleet(origin: origin);

        foreach (var name in new[] { "www-edge-eu-west", "www-edge-us-east", "www-shield" })
        {
            Assert.NotEqual(ConfigHashOf(before, name), ConfigHashOf(after, name));
        }
    }

    [Fact]
    public void Build_ScaleOneRegion_NoConfigHashChangesAndOtherRegionsUntouched()
    {
        var before = Fixtures.Fleet();
        var edgeCache = Fixtures.EdgeCache();
        var scaled = edgeCache with
        {
            Spec = edgeCache.Spec with { Regions = [edgeCache.Spec.Regions[0] with { Replicas = 5 }, edgeCache.Spec.Regions[1]] },
        };

        var after = Fixtures.Fleet(edgeCache: scaled);

        foreach (var name in new[] { "www-edge-eu-west", "www-edge-us-east", "www-shield" })
        {
            Assert.Equal(ConfigHashOf(before, name), ConfigHashOf(after, name));
        }

        Assert.NotEqual(InputHashOf(before, "StatefulSet", "www-edge-eu-west"), InputHashOf(after, "StatefulSet", "www-edge-eu-west"));
        Assert.Equal(InputHashOf(before, "StatefulSet", "www-edge-us-east"), InputHashOf(after, "StatefulSet", "www-edge-us-east"));
        Assert.Equal(InputHashOf(before, "ConfigMap", "www-edge-eu-west"), InputHashOf(after, "ConfigMap", "www-edge-eu-west"));
    }

    [Fact]
    public void Build_DnsTtlChange_RollsEdgesAndShields()
    {
        var before = Fixtures.Fleet();
        var edgeCache = Fixtures.EdgeCache() with { Spec = Fixtures.EdgeCache().Spec with { DnsTtlSeconds = 60 } };

        var after = Fixtures.Fleet(edgeCache: edgeCache);

        Assert.NotEqual(ConfigHashOf(before, "www-edge-eu-west"), ConfigHashOf(after, "www-edge-eu-west"));
        Assert.Equal("60", Fixtures.Find(after, "Service", "www-edge-eu-west")["metadata"]!["annotations"]!["external-dns.alpha.kubernetes.io/ttl"]!.GetValue<string>());
    }

    [Fact]
    public void Build_ConfigMap_HoldsTheConfigWhoseHashThePodsCarry()
    {
        var objects = Fixtures.Fleet();
        var text = Fixtures.Find(objects, "ConfigMap", "www-edge-eu-west")["data"]!["edgefleet.json"]!.GetValue<string>();

        Assert.Equal(ConfigHash.Compute(JsonNode.Parse(text)), ConfigHashOf(objects, "www-edge-eu-west"));
        Assert.Equal("eu-west", JsonNode.Parse(text)!["EdgeFleet"]!["Region"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("edgecache.yaml")]
    [InlineData("edgecache-emptydir.yaml")]
    public void Build_Examples_AcceptedByTheKubernetesOpenApiSchemas(string file)
    {
        var result = KubernetesModels.ValidateObjects(Fixtures.Fleet(edgeCache: Fixtures.EdgeCache(file)));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("FAIL", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void KubernetesModels_BrokenStatefulSet_IsRefusedNamingTheField()
    {
        var statefulSet = Fixtures.Find(Fixtures.Fleet(), "StatefulSet", "www-edge-eu-west");
        statefulSet["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0]!["containerPort"] = "8080";
        statefulSet["spec"]!["template"]!["metadata"]!["labels"]!["edgefleet.io/region"] = "elsewhere";
        statefulSet["spec"]!["template"]!["spec"]!["securityContext"]!["runAsNonroot"] = true;

        var result = KubernetesModels.ValidateObjects([statefulSet]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("spec.template.spec.containers[0].ports[0].containerPort: must be integer", result.Output, StringComparison.Ordinal);
        Assert.Contains("selector does not match template labels", result.Output, StringComparison.Ordinal);
        Assert.Contains("spec.template.spec.securityContext.runAsNonroot: unknown field", result.Output, StringComparison.Ordinal);
    }

    // Golden file: the whole fleet for examples/origin.yaml + examples/edgecache.yaml. A change to any
    // builder shows up here as a reviewable diff; regenerate with EDGEFLEET_UPDATE_GOLDEN=1.
    [Fact]
    public void Build_Example_MatchesGoldenFile()
    {
        var golden = Path.Combine(RepositoryPaths.Root, "tests", "EdgeFleet.Operator.Tests", "golden", "edgecache.json");
        var actual = new JsonArray(Fixtures.Fleet().Select(o => (JsonNode)o.DeepClone()).ToArray()).ToJsonString(Indented) + "\n";
        if (Environment.GetEnvironmentVariable("EDGEFLEET_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, actual);
        }

        Assert.Equal(File.ReadAllText(golden), actual);
    }

    [Fact]
    public void Build_ShieldWithoutReplicas_StillBuildsEmptyTier()
    {
        var edgeCache = Fixtures.EdgeCache() with { Spec = Fixtures.EdgeCache().Spec with { Shield = new ShieldSpec { Replicas = 0 } } };

        var shield = Fixtures.Find(Fixtures.Fleet(edgeCache: edgeCache), "StatefulSet", "www-shield");

        Assert.Equal(0, shield["spec"]!["replicas"]!.GetValue<int>());
    }
}
