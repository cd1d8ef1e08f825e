using System.Text.Json.Nodes;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Operator.Builders;

namespace EdgeFleet.Operator.Tests;

public sealed class StatefulSetBuilderTests
{
    private static JsonObject Build(EdgeCache? edgeCache = null, string region = "eu-west", Origin? origin = null)
    {
        edgeCache ??= Fixtures.EdgeCache();
        var tier = region == "shield" ? CacheTier.Shield(edgeCache) : CacheTier.Edge(edgeCache, edgeCache.Spec.Regions.Single(r => r.Name == region));
        return StatefulSetBuilder.Build(origin ?? Fixtures.Origin(), edgeCache, tier, "hash-1", "www-admin", Fixtures.Options);
    }

    private static JsonNode Pod(JsonObject statefulSet) => statefulSet["spec"]!["template"]!["spec"]!;

    private static JsonNode Container(JsonObject statefulSet) => Pod(statefulSet)["containers"]![0]!;

    [Fact]
    public void Build_EdgeRegion_NamesLabelsAndSelector()
    {
        var set = Build();

        Assert.Equal("www-edge-eu-west", set["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("default", set["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal(
            """{"app.kubernetes.io/name":"edgefleet","app.kubernetes.io/instance":"www","app.kubernetes.io/component":"edge","edgefleet.io/region":"eu-west","app.kubernetes.io/managed-by":"edgefleet-operator"}""",
            Fixtures.Json(set["metadata"]!["labels"]));
        Assert.Equal(
            """{"app.kubernetes.io/name":"edgefleet","app.kubernetes.io/instance":"www","app.kubernetes.io/component":"edge","edgefleet.io/region":"eu-west"}""",
            Fixtures.Json(set["spec"]!["selector"]!["matchLabels"]));
        Assert.Equal(Fixtures.Json(set["metadata"]!["labels"]), Fixtures.Json(set["spec"]!["template"]!["metadata"]!["labels"]));
        Assert.Equal("www-edge-eu-west", set["spec"]!["serviceName"]!.GetValue<string>());
        Assert.Equal(3, set["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public void Build_EdgeCacheWithUid_ControllerOwnerReference()
    {
        var owner = Assert.Single(Build()["metadata"]!["ownerReferences"]!.AsArray())!;

        Assert.Equal(
            $$"""{"apiVersion":"edgefleet.io/v1alpha1","kind":"EdgeCache","name":"www","uid":"{{Fixtures.Uid}}","controller":true,"blockOwnerDeletion":true}""",
            Fixtures.Json(owner));
    }

    [Fact]
    public void Build_RegionWithoutNodeSelector_RequiresTheRegionTopologyLabel()
    {
        var terms = Pod(Build())["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]!;

        Assert.Equal("""[{"matchExpressions":[{"key":"topology.kubernetes.io/region","operator":"In","values":["eu-west"]}]}]""", Fixtures.Json(terms));
    }

    [Fact]
    public void Build_RegionWithNodeSelector_RequiresEveryLabel()
    {
        var terms = Pod(Build(region: "us-east"))["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]!;

        Assert.Equal(
            """[{"matchExpressions":[{"key":"node.example.com/nvme","operator":"In","values":["true"]},{"key":"topology.kubernetes.io/region","operator":"In","values":["us-east-1"]}]}]""",
            Fixtures.Json(terms));
    }

    [Fact]
    public void Build_EdgeRegion_RequiredAntiAffinityOnePodPerNode()
    {
        var terms = Pod(Build())["affinity"]!["podAntiAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!.AsArray();

        var term = Assert.Single(terms)!;
        Assert.Equal("kubernetes.io/hostname", term["topologyKey"]!.GetValue<string>());
        Assert.Equal(Fixtures.Json(Build()["spec"]!["selector"]!["matchLabels"]), Fixtures.Json(term["labelSelector"]!["matchLabels"]));
    }

    [Fact]
    public void Build_Shield_NoRegionAffinityAndPreferredSpread()
    {
        var set = Build(region: "shield");
        var affinity = Pod(set)["affinity"]!;

        Assert.Equal("www-shield", set["metadata"]!["name"]!.GetValue<string>());
        Assert.Null(affinity["nodeAffinity"]);
        Assert.Null(set["spec"]!["selector"]!["matchLabels"]!["edgefleet.io/region"]);
        Assert.Equal("shield", set["spec"]!["selector"]!["matchLabels"]!["app.kubernetes.io/component"]!.GetValue<string>());
        Assert.NotNull(affinity["podAntiAffinity"]!["preferredDuringSchedulingIgnoredDuringExecution"]);
        Assert.Equal("""["--config","/etc/edgefleet/edgefleet.json","--role","shield"]""", Fixtures.Json(Container(set)["args"]));
    }

    [Fact]
    public void Build_Pod_HardenedSecurityContext()
    {
        var set = Build();

        Assert.Equal(
            """{"runAsNonRoot":true,"runAsUser":10001,"runAsGroup":10001,"fsGroup":10001,"fsGroupChangePolicy":"OnRootMismatch","seccompProfile":{"type":"RuntimeDefault"}}""",
            Fixtures.Json(Pod(set)["securityContext"]));
        Assert.Equal(
            """{"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"runAsNonRoot":true,"runAsUser":10001,"capabilities":{"drop":["ALL"]},"seccompProfile":{"type":"RuntimeDefault"}}""",
            Fixtures.Json(Container(set)["securityContext"]));
        Assert.False(Pod(set)["automountServiceAccountToken"]!.GetValue<bool>());
    }

    [Fact]
    public void Build_Container_PortsProbesArgsAndDrainHook()
    {
        var container = Container(Build());

        Assert.Equal("ghcr.io/edgefleet/edgefleet-cache:0.1.0", container["image"]!.GetValue<string>());
        Assert.Equal("""["--config","/etc/edgefleet/edgefleet.json","--role","edge"]""", Fixtures.Json(container["args"]));
        Assert.Equal(
            """[{"name":"http","containerPort":8080,"protocol":"TCP"},{"name":"admin","containerPort":8081,"protocol":"TCP"}]""",
            Fixtures.Json(container["ports"]));
        Assert.Equal("""{"path":"/readyz","port":"admin"}""", Fixtures.Json(container["readinessProbe"]!["httpGet"]));
        Assert.Equal("""{"path":"/healthz","port":"admin"}""", Fixtures.Json(container["livenessProbe"]!["httpGet"]));
        Assert.Equal("""{"preStop":{"httpGet":{"path":"/drain","port":"admin"}}}""", Fixtures.Json(container["lifecycle"]));
    }

    [Fact]
    public void Build_TerminationGracePeriod_IsDnsTtlPlusSlackPlusDrain()
    {
        var edgeCache = Fixtures.EdgeCache() with { Spec = Fixtures.EdgeCache().Spec with { DnsTtlSeconds = 120 } };

        Assert.Equal(60, Pod(Build())["terminationGracePeriodSeconds"]!.GetValue<int>());
        Assert.Equal(150, Pod(Build(edgeCache))["terminationGracePeriodSeconds"]!.GetValue<int>());
    }

    [Fact]
    public void Build_Container_ConfigMountedAndAdminTokenFromSecret()
    {
        var set = Build();
        var container = Container(set);

        Assert.Equal(
            """{"name":"EDGEFLEET__ADMINTOKEN","valueFrom":{"secretKeyRef":{"name":"www-admin","key":"admin-token"}}}""",
            Fixtures.Json(container["env"]![0]));
        Assert.Contains("""{"name":"config","mountPath":"/etc/edgefleet","readOnly":true}""", container["volumeMounts"]!.AsArray().Select(Fixtures.Json));
        Assert.Contains("""{"name":"tmp","mountPath":"/tmp","readOnly":false}""", container["volumeMounts"]!.AsArray().Select(Fixtures.Json));
        Assert.Contains("""{"name":"config","configMap":{"name":"www-edge-eu-west"}}""", Pod(set)["volumes"]!.AsArray().Select(Fixtures.Json));
        Assert.Equal("hash-1", set["spec"]!["template"]!["metadata"]!["annotations"]!["edgefleet.io/config-hash"]!.GetValue<string>());
        Assert.Equal("true", set["spec"]!["template"]!["metadata"]!["annotations"]!["prometheus.io/scrape"]!.GetValue<string>());
    }

    [Fact]
    public void Build_OriginSecrets_MountedReadOnlyUnderVarRun()
    {
        var set = Build();
        var volumes = Pod(set)["volumes"]!.AsArray().Select(Fixtures.Json).ToList();

        Assert.Contains("""{"name":"origin-ca","secret":{"secretName":"origin-ca","items":[{"key":"ca.crt","path":"ca.crt"}]}}""", volumes);
        Assert.Contains("""{"name":"origin-notify","secret":{"secretName":"www-origin-notify","items":[{"key":"token","path":"token"}]}}""", volumes);
    }

    [Fact]
    public void Build_LocalVolume_ClaimTemplateWithStorageClassAndDiskSize()
    {
        var set = Build();

        var claim = Assert.Single(set["spec"]!["volumeClaimTemplates"]!.AsArray())!;
        Assert.Equal("cache", claim["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(
            """{"accessModes":["ReadWriteOnce"],"storageClassName":"local-nvme","resources":{"requests":{"storage":"200Gi"}}}""",
            Fixtures.Json(claim["spec"]));
        Assert.DoesNotContain(Pod(set)["volumes"]!.AsArray(), v => v!["name"]!.GetValue<string>() == "cache");
    }

    [Fact]
    public void Build_EmptyDir_NoClaimTemplateAndSizedEmptyDir()
    {
        var set = Build(Fixtures.EdgeCache("edgecache-emptydir.yaml"), "local");

        Assert.Null(set["spec"]!["volumeClaimTemplates"]);
        Assert.Contains("""{"name":"cache","emptyDir":{"sizeLimit":"1Gi"}}""", Pod(set)["volumes"]!.AsArray().Select(Fixtures.Json));
        Assert.Equal("""[{"key":"kubernetes.io/os","operator":"In","values":["linux"]}]""", Fixtures.Json(Pod(set)["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]![0]!["matchExpressions"]));
    }

    [Fact]
    public void Build_Resources_GivenOrDerivedFromMemorySize()
    {
        var trial = Container(Build(Fixtures.EdgeCache("edgecache-emptydir.yaml"), "local"));

        Assert.Equal("""{"limits":{"memory":"3Gi"},"requests":{"cpu":"500m","memory":"3Gi"}}""", Fixtures.Json(Container(Build())["resources"]));

        // 256Mi × 1.25 + 256Mi
        Assert.Equal("""{"requests":{"cpu":"100m","memory":"576Mi"},"limits":{"memory":"576Mi"}}""", Fixtures.Json(trial["resources"]));
    }

    [Fact]
    public void Build_UpdateStrategy_RegionOverridesSpec()
    {
        var edgeCache = Fixtures.EdgeCache() with
        {
            Spec = Fixtures.EdgeCache().Spec with { UpdateStrategy = new UpdateStrategy { Type = "OnDelete" } },
        };

        Assert.Equal("""{"type":"OnDelete"}""", Fixtures.Json(Build(edgeCache)["spec"]!["updateStrategy"]));
        Assert.Equal("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1}}""", Fixtures.Json(Build(edgeCache, "us-east")["spec"]!["updateStrategy"]));
    }

    [Fact]
    public void Build_Tolerations_CopiedToThePod()
    {
        Assert.Equal("""[{"key":"dedicated","operator":"Equal","value":"edge","effect":"NoSchedule"}]""", Fixtures.Json(Pod(Build())["tolerations"]));
    }
}
