using System.Text.Json.Nodes;
using EdgeFleet.Kubernetes;
using EdgeFleet.TestSupport;

namespace EdgeFleet.Operator.Tests;

/// <summary>The EdgeCache controller running against the API server double, from the examples.</summary>
public sealed class EdgeCacheReconcilerTests : IAsyncLifetime
{
    private static readonly string[] StatefulSets = ["www-edge-eu-west", "www-edge-us-east", "www-shield"];
    private static readonly string[] Tiers = ["www-edge-eu-west", "www-edge-us-east", "www-shield"];
    private OperatorHarness _h = null!;

    public async Task InitializeAsync() => _h = await OperatorHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Reconcile_Examples_EveryObjectOwnedByTheEdgeCacheAndValid()
    {
        await _h.CreateFleetAsync();

        await OperatorHarness.EventuallyAsync(() => Tiers.All(t => _h.Get(ResourceType.PodDisruptionBudgets, t) is not null), "the fleet");
        var edgeCache = _h.Get(ResourceType.EdgeCaches, "www")!;
        var owned = Owned().ToList();
        Assert.Equal(13, owned.Count);
        Assert.Equal(
            ["ConfigMap/www-edge-eu-west", "ConfigMap/www-edge-us-east", "ConfigMap/www-shield",
             "PodDisruptionBudget/www-edge-eu-west", "PodDisruptionBudget/www-edge-us-east", "PodDisruptionBudget/www-shield",
             "Secret/www-admin",
             "Service/www-edge-eu-west", "Service/www-edge-us-east", "Service/www-shield",
             "StatefulSet/www-edge-eu-west", "StatefulSet/www-edge-us-east", "StatefulSet/www-shield"],
            owned.Select(o => $"{o["kind"]}/{o.Name()}").Order(StringComparer.Ordinal));
        foreach (var obj in owned)
        {
            var reference = Assert.Single((JsonArray)obj.Metadata()["ownerReferences"]!)!;
            Assert.Equal(edgeCache.Uid(), (string?)reference["uid"]);
            Assert.Equal("EdgeCache", (string?)reference["kind"]);
            Assert.True((bool?)reference["controller"]);
            Assert.Contains(
                ((JsonArray)obj.Metadata()["managedFields"]!).OfType<JsonObject>(),
                m => (string?)m["manager"] == "edgefleet-operator" && (string?)m["operation"] is "Apply" or "Update");
        }

        // What the operator wrote must be what a real API server accepts for these kinds.
        var result = KubernetesModels.ValidateObjects(owned.Select(WithoutServerFields));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Reconcile_PodsBecomeReady_ConditionsProgressFromRegionNotReadyToReady()
    {
        await _h.CreateFleetAsync();
        await OperatorHarness.EventuallyAsync(() => ReadyMessage() is { } m && m.Contains("eu-west: 0/3 pods ready", StringComparison.Ordinal), "eu-west: 0/3");
        var ready = Ready();
        Assert.Equal("False", (string?)ready!["status"]);
        Assert.Equal("RegionNotReady", (string?)ready["reason"]);

        await _h.SetStatefulSetStatusAsync("www-edge-eu-west", ready: 1);
        await OperatorHarness.EventuallyAsync(() => ReadyMessage() is { } m && m.StartsWith("eu-west: 1/3 pods ready; us-east: 0/2 pods ready", StringComparison.Ordinal), "eu-west: 1/3");

        await _h.SetAllReadyAsync();
        await OperatorHarness.EventuallyAsync(() => (string?)Ready()?["status"] == "True", "Ready=True");
        var status = _h.Get(ResourceType.EdgeCaches, "www")!["status"]!;
        Assert.Equal("AllPodsReady", (string?)Ready()!["reason"]);
        Assert.Equal("7/7", (string?)status["readyPods"]);
        Assert.Equal("False", (string?)OperatorHarness.Condition(_h.Get(ResourceType.EdgeCaches, "www"), "Progressing")!["status"]);
        Assert.Equal("False", (string?)OperatorHarness.Condition(_h.Get(ResourceType.EdgeCaches, "www"), "Degraded")!["status"]);
        Assert.Equal(_h.Get(ResourceType.EdgeCaches, "www")!.Generation(), (long?)status["observedGeneration"]);
    }

    [Fact]
    public async Task Reconcile_StatefulSetDeleted_Recreated()
    {
        await _h.CreateFleetAsync();
        await OperatorHarness.EventuallyAsync(() => _h.Get(ResourceType.StatefulSets, "www-edge-eu-west") is not null, "the StatefulSet");
        var before = _h.Get(ResourceType.StatefulSets, "www-edge-eu-west")!.Uid();

        await _h.Client.DeleteAsync(ResourceType.StatefulSets, OperatorHarness.Namespace, "www-edge-eu-west");

        await OperatorHarness.EventuallyAsync(
            () => _h.Get(ResourceType.StatefulSets, "www-edge-eu-west") is { } sts && sts.Uid() != before, "the StatefulSet to be recreated");
    }

    [Fact]
    public async Task Reconcile_StatefulSetEditedBySomeoneElse_PutBack()
    {
        await _h.CreateFleetAsync();
        await OperatorHarness.EventuallyAsync(() => _h.Get(ResourceType.StatefulSets, "www-edge-us-east") is not null, "the StatefulSet");

        // kubectl scale, say: a merge patch by another manager; the input hash annotation is untouched.
        await _h.Client.PatchAsync(ResourceType.StatefulSets, OperatorHarness.Namespace, "www-edge-us-east", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 9 } });

        await OperatorHarness.EventuallyAsync(
            () => (int?)_h.Get(ResourceType.StatefulSets, "www-edge-us-east")!["spec"]!["replicas"] == 2, "replicas back to 2");
    }

    [Fact]
    public async Task Reconcile_AnotherManagerForcesAField_TakenBack()
    {
        await _h.CreateFleetAsync();
        await OperatorHarness.EventuallyAsync(() => _h.Get(ResourceType.StatefulSets, "www-shield") is not null, "the StatefulSet");
        await _h.IdleAsync();
        var conflicting = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "StatefulSet",
            ["metadata"] = new JsonObject { ["name"] = "www-shield", ["namespace"] = OperatorHarness.Namespace },
            ["spec"] = new JsonObject { ["replicas"] = 5 },
        };

        // Without force the other manager is refused: the field is the operator's.
        var refused = await Assert.ThrowsAsync<KubernetesConflictException>(() => _h.Client.ApplyAsync(ResourceType.StatefulSets, conflicting, "someone-else"));
        Assert.Contains("edgefleet-operator", refused.Message, StringComparison.Ordinal);
        await _h.Client.ApplyAsync(ResourceType.StatefulSets, conflicting, "someone-else", force: true);

        await OperatorHarness.EventuallyAsync(() => (int?)_h.Get(ResourceType.StatefulSets, "www-shield")!["spec"]!["replicas"] == 2, "replicas back to 2");
    }

    [Fact]
    public async Task Reconcile_OriginChanged_RollsOneRegionAtATime()
    {
        await _h.CreateFleetAsync();
        await OperatorHarness.EventuallyAsync(() => StatefulSets.All(s => _h.Get(ResourceType.StatefulSets, s) is not null), "the StatefulSets");
        await _h.SetAllReadyAsync();
        await OperatorHarness.EventuallyAsync(() => (string?)Ready()?["status"] == "True", "Ready=True");
        var before = StatefulSets.ToDictionary(s => s, ConfigHash);

        await _h.Client.PatchAsync(ResourceType.Origins, OperatorHarness.Namespace, "www", new JsonObject { ["spec"] = new JsonObject { ["defaultTtl"] = "10m" } });

        // The first region rolls; the second waits for it, ConfigMap and StatefulSet untouched.
        await OperatorHarness.EventuallyAsync(() => ConfigHash("www-edge-eu-west") != before["www-edge-eu-west"], "eu-west to roll");
        await OperatorHarness.EventuallyAsync(
            () => (string?)OperatorHarness.Condition(_h.Get(ResourceType.EdgeCaches, "www"), "Progressing")?["message"] is { } m && m.Contains("us-east: 0/2 pods updated", StringComparison.Ordinal),
            "the status to show us-east waiting: " + OperatorHarness.Condition(_h.Get(ResourceType.EdgeCaches, "www"), "Progressing")?.ToJsonString());
        Assert.Equal(before["www-edge-us-east"], ConfigHash("www-edge-us-east"));
        Assert.Equal(before["www-shield"], ConfigHash("www-shield"));
        Assert.DoesNotContain("10m", ConfigFile("www-edge-us-east"), StringComparison.Ordinal);
        Assert.Contains("00:10:00", ConfigFile("www-edge-eu-west"), StringComparison.Ordinal);

        // eu-west's pods on the new template but one not ready yet: still waiting.
        var reconciles = Reconciles();
        await _h.SetStatefulSetStatusAsync("www-edge-eu-west", ready: 2);
        await OperatorHarness.EventuallyAsync(() => Reconciles() >= reconciles + 3, "reconciles after the status change");
        Assert.Equal(before["www-edge-us-east"], ConfigHash("www-edge-us-east"));

        await _h.SetStatefulSetStatusAsync("www-edge-eu-west");
        await OperatorHarness.EventuallyAsync(() => ConfigHash("www-edge-us-east") != before["www-edge-us-east"], "us-east to roll");
        Assert.Equal(before["www-shield"], ConfigHash("www-shield"));

        await _h.SetStatefulSetStatusAsync("www-edge-us-east");
        await OperatorHarness.EventuallyAsync(() => ConfigHash("www-shield") != before["www-shield"], "the shield tier to roll");
        await _h.SetStatefulSetStatusAsync("www-shield");
        await OperatorHarness.EventuallyAsync(() => (string?)Ready()?["status"] == "True"
            && (string?)OperatorHarness.Condition(_h.Get(ResourceType.EdgeCaches, "www"), "Progressing")?["status"] == "False", "the rollout to finish");
    }

    [Fact]
    public async Task Reconcile_RegionScaled_AppliedWithoutWaitingForOtherRegions()
    {
        await _h.CreateFleetAsync();
        await OperatorHarness.EventuallyAsync(() => StatefulSets.All(s => _h.Get(ResourceType.StatefulSets, s) is not null), "the StatefulSets");
        var hash = ConfigHash("www-edge-us-east");
        var regions = (JsonArray)_h.Get(ResourceType.EdgeCaches, "www")!["spec"]!["regions"]!.DeepClone();
        regions[1]!["replicas"] = 4;

        // eu-west has no ready pod, yet scaling us-east replaces no pod and need not wait.
        await _h.Client.PatchAsync(ResourceType.EdgeCaches, OperatorHarness.Namespace, "www", new JsonObject { ["spec"] = new JsonObject { ["regions"] = regions } });

        await OperatorHarness.EventuallyAsync(() => (int?)_h.Get(ResourceType.StatefulSets, "www-edge-us-east")!["spec"]!["replicas"] == 4, "us-east scaled to 4");
        Assert.Equal(hash, ConfigHash("www-edge-us-east"));
    }

    [Fact]
    public async Task Reconcile_ApiServerRestartMidWatchWithHistoryLost_DriftStillRepaired()
    {
        await _h.CreateFleetAsync();
        await OperatorHarness.EventuallyAsync(() => _h.Get(ResourceType.StatefulSets, "www-edge-eu-west") is not null, "the StatefulSet");
        await _h.IdleAsync();
        var before = _h.Get(ResourceType.StatefulSets, "www-edge-eu-west")!.Uid();

        // The watches drop and the history they would resume from is gone: the informers must relist.
        _h.Server.CompactHistory();
        _h.Server.DisconnectWatches();
        await _h.Client.DeleteAsync(ResourceType.StatefulSets, OperatorHarness.Namespace, "www-edge-eu-west");

        await OperatorHarness.EventuallyAsync(
            () => _h.Get(ResourceType.StatefulSets, "www-edge-eu-west") is { } sts && sts.Uid() != before, "the StatefulSet to be recreated after a relist");
        Assert.True(_h.Operator.Runtime.Informers!.StatefulSets.ListCount >= 2, "the StatefulSet informer relisted");
    }

    [Fact]
    public async Task Reconcile_NothingChanged_NoWrites()
    {
        await _h.CreateFleetAsync();
        await OperatorHarness.EventuallyAsync(() => StatefulSets.All(s => _h.Get(ResourceType.StatefulSets, s) is not null), "the StatefulSets");
        await _h.SetAllReadyAsync();
        await OperatorHarness.EventuallyAsync(() => (string?)Ready()?["status"] == "True", "Ready=True");
        await _h.IdleAsync();
        var writes = _h.Writes();
        var reconciles = Reconciles();

        _h.Operator.Runtime.ResyncNow();
        await OperatorHarness.EventuallyAsync(() => Reconciles() > reconciles, "a resync");
        await _h.IdleAsync();

        Assert.Equal(writes, _h.Writes());
    }

    [Fact]
    public async Task Reconcile_RegionRemoved_ItsObjectsDeleted()
    {
        await _h.CreateFleetAsync();
        await OperatorHarness.EventuallyAsync(() => Tiers.All(t => _h.Get(ResourceType.PodDisruptionBudgets, t) is not null), "the fleet");
        var edgeCache = _h.Get(ResourceType.EdgeCaches, "www")!;
        var regions = (JsonArray)edgeCache["spec"]!["regions"]!.DeepClone();
        regions.RemoveAt(1);

        await _h.Client.PatchAsync(ResourceType.EdgeCaches, OperatorHarness.Namespace, "www", new JsonObject { ["spec"] = new JsonObject { ["regions"] = regions } });

        await OperatorHarness.EventuallyAsync(
            () => _h.Get(ResourceType.StatefulSets, "www-edge-us-east") is null && _h.Get(ResourceType.Services, "www-edge-us-east") is null
                && _h.Get(ResourceType.ConfigMaps, "www-edge-us-east") is null && _h.Get(ResourceType.PodDisruptionBudgets, "www-edge-us-east") is null,
            "us-east's objects to go");
        Assert.NotNull(_h.Get(ResourceType.StatefulSets, "www-edge-eu-west"));
        Assert.NotNull(_h.Get(ResourceType.StatefulSets, "www-shield"));
        Assert.NotNull(_h.Get(ResourceType.Secrets, "www-admin"));
        Assert.Equal(9, Owned().Count());
    }

    [Fact]
    public async Task Reconcile_OriginMissing_ReadyFalseOriginNotFoundAndNothingCreated()
    {
        await _h.CreateExampleAsync("edgecache.yaml");

        await OperatorHarness.EventuallyAsync(() => Ready() is not null, "a status");
        Assert.Equal("False", (string?)Ready()!["status"]);
        Assert.Equal("OriginNotFound", (string?)Ready()!["reason"]);
        Assert.Contains("Origin \"www\" not found", (string?)Ready()!["message"], StringComparison.Ordinal);
        await _h.IdleAsync();
        Assert.Empty(Owned());

        // The Origin appearing is enough: its controller hands the EdgeCache over again.
        await _h.CreateOriginSecretsAsync();
        await _h.CreateExampleAsync("origin.yaml");
        await OperatorHarness.EventuallyAsync(() => _h.Get(ResourceType.StatefulSets, "www-shield") is not null, "the fleet once the Origin exists");
    }

    [Fact]
    public async Task Reconcile_AdminSecretExists_TokenKept()
    {
        await _h.Client.CreateAsync(ResourceType.Secrets, OperatorHarness.Secret("www-admin", "admin-token", "kept-token"));

        await _h.CreateFleetAsync();

        await OperatorHarness.EventuallyAsync(() => _h.Get(ResourceType.StatefulSets, "www-shield") is not null, "the fleet");
        var data = _h.Get(ResourceType.Secrets, "www-admin")!["data"]!["admin-token"]!.GetValue<string>();
        Assert.Equal("kept-token", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(data)));
    }

    [Fact]
    public async Task Reconcile_NoAdminSecret_GeneratesARandomTokenOnce()
    {
        await _h.CreateFleetAsync();
        await OperatorHarness.EventuallyAsync(() => _h.Get(ResourceType.StatefulSets, "www-shield") is not null, "the fleet");
        var token = _h.Get(ResourceType.Secrets, "www-admin")!["data"]!["admin-token"]!.GetValue<string>();

        await _h.Client.PatchAsync(ResourceType.EdgeCaches, OperatorHarness.Namespace, "www", new JsonObject { ["spec"] = new JsonObject { ["dnsTtlSeconds"] = 20 } });
        await OperatorHarness.EventuallyAsync(
            () => (string?)_h.Get(ResourceType.Services, "www-edge-eu-west")!.Annotation("external-dns.alpha.kubernetes.io/ttl") == "20", "the new TTL");

        Assert.Equal(token, _h.Get(ResourceType.Secrets, "www-admin")!["data"]!["admin-token"]!.GetValue<string>());
        Assert.Equal(43, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token)).Length); // 32 random bytes, base64url
    }

    [Fact]
    public async Task Reconcile_EdgeCacheDeleted_FleetCollected()
    {
        await _h.CreateFleetAsync();
        await OperatorHarness.EventuallyAsync(() => Owned().Count() == 13, "the fleet");
        await _h.IdleAsync();

        await _h.Client.DeleteAsync(ResourceType.EdgeCaches, OperatorHarness.Namespace, "www");

        await OperatorHarness.EventuallyAsync(() => !Owned().Any(), "garbage collection");
        await _h.IdleAsync();
        Assert.Empty(Owned());
    }

    private JsonObject? Ready() => OperatorHarness.Condition(_h.Get(ResourceType.EdgeCaches, "www"), "Ready");

    private string? ReadyMessage() => (string?)Ready()?["message"];

    private string ConfigHash(string statefulSet) =>
        (string)_h.Get(ResourceType.StatefulSets, statefulSet)!["spec"]!["template"]!["metadata"]!["annotations"]!["edgefleet.io/config-hash"]!;

    private string ConfigFile(string configMap) => (string)_h.Get(ResourceType.ConfigMaps, configMap)!["data"]!["edgefleet.json"]!;

    private long Reconciles() => _h.Server.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith("/edgecaches/www", StringComparison.Ordinal));

    private IEnumerable<JsonObject> Owned() =>
        new[] { ResourceType.Secrets, ResourceType.ConfigMaps, ResourceType.Services, ResourceType.StatefulSets, ResourceType.PodDisruptionBudgets }
            .SelectMany(_h.Server.List)
            .Where(o => o.Label("app.kubernetes.io/managed-by") == "edgefleet-operator");

    // The double's bookkeeping (managedFields, uid, …) is valid metadata too, but not what is under test.
    private static JsonObject WithoutServerFields(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        foreach (var field in new[] { "managedFields", "uid", "resourceVersion", "generation", "creationTimestamp" })
        {
            copy.Metadata().Remove(field);
        }

        copy.Remove("status");
        return copy;
    }
}
