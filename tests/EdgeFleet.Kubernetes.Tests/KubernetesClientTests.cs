using System.Net;
using System.Text.Json.Nodes;
using EdgeFleet.Kubernetes.Testing;

namespace EdgeFleet.Kubernetes.Tests;

public sealed class KubernetesClientTests : ApiServerFixture
{
    [Fact]
    public async Task CreateAsync_NewObject_ServerAssignsMetadata()
    {
        var created = await Client.CreateAsync(ResourceType.EdgeCaches, EdgeCache("web"));

        Assert.False(string.IsNullOrEmpty(created.Uid()));
        Assert.Equal(1, created.Generation());
        Assert.NotNull(created.Metadata()["creationTimestamp"]);
        Assert.Equal("edgefleet.io/v1alpha1", (string?)created["apiVersion"]);
        var read = await Client.GetAsync(ResourceType.EdgeCaches, "default", "web");
        Assert.Equal(created.ResourceVersion(), read.ResourceVersion());
        Assert.Equal(2, (int?)read["spec"]!["replicas"]);
    }

    [Fact]
    public async Task CreateAsync_NameTaken_ThrowsAlreadyExists()
    {
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a"));

        var e = await Assert.ThrowsAsync<KubernetesConflictException>(() => Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a")));

        Assert.True(e.IsAlreadyExists);
        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_WithFieldManager_ManagerOwnsTheFields()
    {
        var created = await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a"), "edgefleet-operator");

        var entry = Assert.Single((System.Text.Json.Nodes.JsonArray)created.Metadata()["managedFields"]!)!;
        Assert.Equal("edgefleet-operator", (string?)entry["manager"]);
        Assert.Equal("Update", (string?)entry["operation"]);
        Assert.Contains(Server.Requests, r => r.Method == "POST" && r.Query.Contains("fieldManager=edgefleet-operator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResourceVersion_AcrossTypes_IncreasesMonotonically()
    {
        var a = await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a"));
        var b = await Client.CreateAsync(ResourceType.EdgeCaches, EdgeCache("b"));
        var c = await Client.PatchAsync(ResourceType.ConfigMaps, "default", "a", KubernetesJson.Parse("""{"data":{"k":"w"}}"""));

        Assert.True(long.Parse(a.ResourceVersion()!) < long.Parse(b.ResourceVersion()!));
        Assert.True(long.Parse(b.ResourceVersion()!) < long.Parse(c.ResourceVersion()!));
    }

    [Fact]
    public async Task UpdateAsync_StaleResourceVersion_ThrowsConflict()
    {
        var first = await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a"));
        var copy = (JsonObject)first.DeepClone();
        first["data"]!["k"] = "one";
        await Client.UpdateAsync(ResourceType.ConfigMaps, first);

        copy["data"]!["k"] = "two";
        var e = await Assert.ThrowsAsync<KubernetesConflictException>(() => Client.UpdateAsync(ResourceType.ConfigMaps, copy));

        Assert.Equal("Conflict", e.Reason);
        Assert.Contains("the object has been modified", e.Message, StringComparison.Ordinal);
        Assert.Equal("one", (string?)(await Client.GetAsync(ResourceType.ConfigMaps, "default", "a"))["data"]!["k"]);
        Assert.Equal(1, Server.Requests.Count(r => r.Method == "PUT" && r.StatusCode == 409));
    }

    [Fact]
    public async Task UpdateAsync_ConcurrentWritersFromSameRead_ExactlyOneWins()
    {
        var read = await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a"));

        var attempts = Enumerable.Range(0, 8).Select(async i =>
        {
            var mine = (JsonObject)read.DeepClone();
            mine["data"]!["k"] = $"writer-{i}";
            try
            {
                await Client.UpdateAsync(ResourceType.ConfigMaps, mine);
                return true;
            }
            catch (KubernetesConflictException)
            {
                return false;
            }
        }).ToList();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Equal(1, outcomes.Count(won => won));
        var winner = Array.IndexOf(outcomes, true);
        Assert.Equal($"writer-{winner}", (string?)(await Client.GetAsync(ResourceType.ConfigMaps, "default", "a"))["data"]!["k"]);
    }

    [Fact]
    public async Task UpdateAsync_SpecChanged_BumpsGenerationAndIgnoresStatus()
    {
        var created = await Client.CreateAsync(ResourceType.EdgeCaches, EdgeCache("web"));
        created["spec"]!["replicas"] = 5;
        created["status"] = new JsonObject { ["readyReplicas"] = 99 };

        var updated = await Client.UpdateAsync(ResourceType.EdgeCaches, created);

        Assert.Equal(2, updated.Generation());
        Assert.Null(updated["status"]);
    }

    [Fact]
    public async Task UpdateAsync_NoChange_KeepsResourceVersion()
    {
        var created = await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a"));

        var again = await Client.UpdateAsync(ResourceType.ConfigMaps, (JsonObject)created.DeepClone());

        Assert.Equal(created.ResourceVersion(), again.ResourceVersion());
    }

    [Fact]
    public async Task UpdateStatusAsync_StatusAndSpecChanged_WritesOnlyStatusWithoutGeneration()
    {
        var created = await Client.CreateAsync(ResourceType.EdgeCaches, EdgeCache("web"));
        created["status"] = new JsonObject { ["observedGeneration"] = 1, ["readyReplicas"] = 2 };
        created["spec"]!["replicas"] = 7;

        var updated = await Client.UpdateStatusAsync(ResourceType.EdgeCaches, created);

        Assert.Equal(1, updated.Generation());
        Assert.Equal(2, (int?)updated["status"]!["readyReplicas"]);
        Assert.Equal(2, (int?)updated["spec"]!["replicas"]);
        Assert.Equal(2, (int?)(await Client.GetStatusAsync(ResourceType.EdgeCaches, "default", "web"))["status"]!["readyReplicas"]);
    }

    [Fact]
    public async Task PatchAsync_MergePatch_MergesMapsAndRemovesNulls()
    {
        var cm = ConfigMap("a", app: "web");
        cm.Metadata()["labels"]!["tier"] = "edge";
        await Client.CreateAsync(ResourceType.ConfigMaps, cm);

        var patched = await Client.PatchAsync(ResourceType.ConfigMaps, "default", "a",
            KubernetesJson.Parse("""{"metadata":{"labels":{"tier":null,"zone":"eu"}},"data":{"x":"y"}}"""));

        Assert.Equal("web", patched.Label("app"));
        Assert.Equal("eu", patched.Label("zone"));
        Assert.Null(patched.Label("tier"));
        Assert.Equal("v", (string?)patched["data"]!["k"]);
        Assert.Equal("y", (string?)patched["data"]!["x"]);
    }

    [Fact]
    public async Task PatchStatusAsync_MergePatch_SetsStatus()
    {
        await Client.CreateAsync(ResourceType.EdgeCaches, EdgeCache("web"));

        var patched = await Client.PatchStatusAsync(ResourceType.EdgeCaches, "default", "web",
            KubernetesJson.Parse("""{"status":{"phase":"Ready"},"spec":{"replicas":9}}"""));

        Assert.Equal("Ready", (string?)patched["status"]!["phase"]);
        Assert.Equal(2, (int?)patched["spec"]!["replicas"]);
    }

    [Fact]
    public async Task ApplyAsync_Absent_CreatesAndRecordsManager()
    {
        var applied = await Client.ApplyAsync(ResourceType.StatefulSets,
            KubernetesJson.Parse("""{"metadata":{"name":"edge-eu","namespace":"default"},"spec":{"replicas":3}}"""), "edgefleet-operator");

        Assert.Equal(3, (int?)applied["spec"]!["replicas"]);
        var managed = Assert.Single(applied.Metadata()["managedFields"]!.AsArray());
        Assert.Equal("edgefleet-operator", (string?)managed!["manager"]);
        Assert.Equal("Apply", (string?)managed["operation"]);
        Assert.NotNull(managed["fieldsV1"]!["f:spec"]!["f:replicas"]);
        Assert.Contains(Server.Requests, r => r.Method == "PATCH" && r.Query.Contains("fieldManager=edgefleet-operator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApplyAsync_FieldNoLongerApplied_RemovesIt()
    {
        const string Manager = "edgefleet-operator";
        await Client.ApplyAsync(ResourceType.ConfigMaps,
            KubernetesJson.Parse("""{"metadata":{"name":"cfg","namespace":"default","labels":{"a":"1","b":"2"}},"data":{"x":"1","y":"2"}}"""), Manager);

        var second = await Client.ApplyAsync(ResourceType.ConfigMaps,
            KubernetesJson.Parse("""{"metadata":{"name":"cfg","namespace":"default","labels":{"a":"1"}},"data":{"x":"3"}}"""), Manager);

        Assert.Null(second.Label("b"));
        Assert.Equal("1", second.Label("a"));
        Assert.Equal("3", (string?)second["data"]!["x"]);
        Assert.Null(second["data"]!["y"]);
    }

    [Fact]
    public async Task ApplyAsync_SameValuesAgain_DoesNotChangeResourceVersion()
    {
        var body = """{"metadata":{"name":"cfg","namespace":"default"},"data":{"x":"1"}}""";
        var first = await Client.ApplyAsync(ResourceType.ConfigMaps, KubernetesJson.Parse(body), "op");

        var second = await Client.ApplyAsync(ResourceType.ConfigMaps, KubernetesJson.Parse(body), "op");

        Assert.Equal(first.ResourceVersion(), second.ResourceVersion());
    }

    [Fact]
    public async Task ApplyAsync_FieldOwnedByAnotherManager_ConflictsUnlessForced()
    {
        await Client.ApplyAsync(ResourceType.StatefulSets,
            KubernetesJson.Parse("""{"metadata":{"name":"edge","namespace":"default"},"spec":{"replicas":3}}"""), "edgefleet-operator");
        await Client.ApplyAsync(ResourceType.StatefulSets,
            KubernetesJson.Parse("""{"metadata":{"name":"edge","namespace":"default"},"spec":{"replicas":5}}"""), "kubectl", force: true);

        var e = await Assert.ThrowsAsync<KubernetesConflictException>(() => Client.ApplyAsync(ResourceType.StatefulSets,
            KubernetesJson.Parse("""{"metadata":{"name":"edge","namespace":"default"},"spec":{"replicas":3}}"""), "edgefleet-operator"));
        Assert.Contains("conflict with \"kubectl\"", e.Message, StringComparison.Ordinal);
        Assert.Contains(".spec.replicas", e.Message, StringComparison.Ordinal);

        var forced = await Client.ApplyAsync(ResourceType.StatefulSets,
            KubernetesJson.Parse("""{"metadata":{"name":"edge","namespace":"default"},"spec":{"replicas":3}}"""), "edgefleet-operator", force: true);
        Assert.Equal(3, (int?)forced["spec"]!["replicas"]);
    }

    [Fact]
    public async Task ApplyStatusAsync_Status_WritesStatusOnly()
    {
        await Client.CreateAsync(ResourceType.EdgeCaches, EdgeCache("web"));

        var applied = await Client.ApplyStatusAsync(ResourceType.EdgeCaches,
            KubernetesJson.Parse("""{"metadata":{"name":"web","namespace":"default"},"status":{"observedGeneration":1},"spec":{"replicas":8}}"""),
            "edgefleet-operator");

        Assert.Equal(1, (int?)applied["status"]!["observedGeneration"]);
        Assert.Equal(2, (int?)applied["spec"]!["replicas"]);
        Assert.Equal(1, applied.Generation());
    }

    [Fact]
    public async Task Apply_WithoutFieldManager_IsRefusedByServer()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(Server.BaseAddress, "/api/v1/namespaces/default/configmaps/x"))
        {
            Content = new StringContent("""{"metadata":{"name":"x"}}""", System.Text.Encoding.UTF8, "application/apply-patch+yaml"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Server.AdminToken);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("fieldManager", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteAsync_WithFinalizer_KeepsObjectUntilFinalizerRemoved()
    {
        var cache = EdgeCache("web");
        cache.Metadata()["finalizers"] = new JsonArray("edgefleet.io/cleanup");
        await Client.CreateAsync(ResourceType.EdgeCaches, cache);

        var marked = await Client.DeleteAsync(ResourceType.EdgeCaches, "default", "web");

        Assert.NotNull(marked!.DeletionTimestamp());
        var held = await Client.GetAsync(ResourceType.EdgeCaches, "default", "web");
        Assert.NotNull(held.DeletionTimestamp());
        held.Metadata()["finalizers"] = new JsonArray();
        await Client.UpdateAsync(ResourceType.EdgeCaches, held);
        Assert.Null(await Client.GetOrNullAsync(ResourceType.EdgeCaches, "default", "web"));
    }

    [Fact]
    public async Task DeleteAsync_Owner_GarbageCollectsDependentsButNotOrphans()
    {
        var owner = await Client.CreateAsync(ResourceType.EdgeCaches, EdgeCache("web"));
        var dependent = ConfigMap("web-config");
        dependent.Metadata()["ownerReferences"] = new JsonArray(owner.ControllerReference());
        await Client.CreateAsync(ResourceType.ConfigMaps, dependent);
        var other = await Client.CreateAsync(ResourceType.EdgeCaches, EdgeCache("other"));
        var orphan = ConfigMap("other-config");
        orphan.Metadata()["ownerReferences"] = new JsonArray(other.ControllerReference());
        await Client.CreateAsync(ResourceType.ConfigMaps, orphan);

        await Client.DeleteAsync(ResourceType.EdgeCaches, "default", "web", new DeleteOptions { PropagationPolicy = "Background" });
        await Client.DeleteAsync(ResourceType.EdgeCaches, "default", "other", new DeleteOptions { PropagationPolicy = "Orphan" });

        Assert.Null(await Client.GetOrNullAsync(ResourceType.ConfigMaps, "default", "web-config"));
        var kept = await Client.GetAsync(ResourceType.ConfigMaps, "default", "other-config");
        Assert.Empty(kept.Metadata()["ownerReferences"]!.AsArray());
    }

    [Fact]
    public async Task DeleteAsync_PreconditionUidMismatch_ThrowsConflict()
    {
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a"));

        var e = await Assert.ThrowsAsync<KubernetesConflictException>(() =>
            Client.DeleteAsync(ResourceType.ConfigMaps, "default", "a", new DeleteOptions { PreconditionUid = "not-the-uid" }));

        Assert.Contains("Precondition failed", e.Message, StringComparison.Ordinal);
        Assert.NotNull(await Client.GetOrNullAsync(ResourceType.ConfigMaps, "default", "a"));
    }

    [Fact]
    public async Task GetAsync_Missing_ThrowsNotFoundWithServerMessage()
    {
        var e = await Assert.ThrowsAsync<KubernetesException>(() => Client.GetAsync(ResourceType.Origins, "default", "nope"));

        Assert.True(e.IsNotFound);
        Assert.Equal("NotFound", e.Reason);
        Assert.Equal("origins.edgefleet.io \"nope\" not found", e.Message);
        Assert.Null(await Client.GetOrNullAsync(ResourceType.Origins, "default", "nope"));
    }

    [Fact]
    public async Task ListAsync_WithLimit_PagesThroughContinueTokens()
    {
        for (var i = 0; i < 7; i++)
        {
            await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap($"cm-{i}"));
        }

        var first = await Client.ListAsync(ResourceType.ConfigMaps, "default", new ListOptions { Limit = 3 });
        var all = await Client.ListAllAsync(ResourceType.ConfigMaps, "default", new ListOptions { Limit = 3 });

        Assert.Equal(3, first.Items.Count);
        Assert.NotNull(first.Continue);
        Assert.Equal(7, all.Items.Select(i => i.Name()).Distinct().Count());
        Assert.Equal(1 + 3, Server.Requests.Count(r => r.Method == "GET" && r.Query.Contains("limit=3", StringComparison.Ordinal)));
        Assert.All(all.Items, i => Assert.Equal("ConfigMap", (string?)i["kind"]));
    }

    [Fact]
    public async Task ListAsync_Selectors_FilterByLabelsFieldsAndNamespace()
    {
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a", app: "edge"));
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("b", app: "shield"));
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("c"));
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("d", ns: "other", app: "edge"));

        async Task<string[]> Names(string? ns, string? labels, string? fields = null) =>
            (await Client.ListAsync(ResourceType.ConfigMaps, ns, new ListOptions { LabelSelector = labels, FieldSelector = fields }))
                .Items.Select(i => i.Key()).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(["default/a"], await Names("default", "app=edge"));
        Assert.Equal(["default/a", "other/d"], await Names(null, "app==edge"));
        Assert.Equal(["default/b", "default/c"], await Names("default", "app!=edge"));
        Assert.Equal(["default/a", "default/b"], await Names("default", "app in (edge, shield)"));
        Assert.Equal(["default/b"], await Names("default", "app,app notin (edge)"));
        Assert.Equal(["default/c"], await Names("default", "!app"));
        Assert.Equal(["default/b"], await Names(null, null, "metadata.name=b"));
        Assert.Equal(["other/d"], await Names(null, null, "metadata.namespace=other"));
    }

    [Fact]
    public async Task Authorization_Denied_SurfacesForbiddenStatus()
    {
        Server.AddUser("viewer-token", "viewer");
        Server.Authorize = r => r.User != "viewer" || r.Verb is "get" or "list" or "watch";
        using var viewer = ClientFor("viewer-token");
        var invalidation = KubernetesJson.Parse("""{"metadata":{"name":"purge-1"},"spec":{"paths":["/a"]}}""");

        var e = await Assert.ThrowsAsync<KubernetesException>(() => viewer.CreateAsync(ResourceType.Invalidations, invalidation));

        Assert.Equal(403, e.Code);
        Assert.Equal("Forbidden", e.Reason);
        Assert.StartsWith("invalidations.edgefleet.io is forbidden: User \"viewer\" cannot create", e.Message, StringComparison.Ordinal);
        Assert.Empty((await viewer.ListAsync(ResourceType.Invalidations, "default")).Items);
    }

    [Fact]
    public async Task UnknownToken_IsUnauthorized()
    {
        using var stranger = ClientFor("who-am-i");

        var e = await Assert.ThrowsAsync<KubernetesException>(() => stranger.ListAsync(ResourceType.Pods, "default"));

        Assert.Equal(401, e.Code);
        Assert.Equal(1, Server.Requests.Count(r => r.StatusCode == 401));
    }

    [Fact]
    public async Task Validation_Violation_SurfacesInvalidWithField()
    {
        Server.SetValidator(ResourceType.EdgeCaches, obj =>
            (int?)obj["spec"]?["replicas"] is < 1
                ? [new FieldViolation("spec.replicas", "Invalid value: 0: spec.replicas in body should be greater than or equal to 1")]
                : []);

        var e = await Assert.ThrowsAsync<KubernetesException>(() => Client.CreateAsync(ResourceType.EdgeCaches, EdgeCache("web", replicas: 0)));

        Assert.Equal(422, e.Code);
        Assert.Equal("Invalid", e.Reason);
        Assert.Contains("EdgeCache.edgefleet.io \"web\" is invalid: spec.replicas: Invalid value", e.Message, StringComparison.Ordinal);
        Assert.Equal("spec.replicas", (string?)e.Status!["details"]!["causes"]![0]!["field"]);
    }

    [Fact]
    public async Task Defaulting_FieldAbsent_FilledBeforeValidationOnEveryWrite()
    {
        Server.SetDefaulter(ResourceType.EdgeCaches, obj =>
        {
            if (obj["spec"] is JsonObject spec && spec["replicas"] is null)
            {
                spec["replicas"] = 1;
            }

            return obj;
        });
        Server.SetValidator(ResourceType.EdgeCaches, obj => obj["spec"]?["replicas"] is null ? [new FieldViolation("spec.replicas", "Required value")] : []);
        var cache = KubernetesJson.Parse("""{"metadata":{"name":"web"},"spec":{"origin":"web"}}""");

        var created = await Client.CreateAsync(ResourceType.EdgeCaches, cache);
        var patched = await Client.PatchAsync(ResourceType.EdgeCaches, "default", "web", KubernetesJson.Parse("""{"spec":{"replicas":null}}"""));

        Assert.Equal(1, (int?)created["spec"]!["replicas"]);
        Assert.Equal(1, (int?)patched["spec"]!["replicas"]);
        Assert.Equal(created.ResourceVersion(), patched.ResourceVersion());
    }

    [Fact]
    public async Task GetAsync_TransientUnavailability_RetriedUntilSuccess()
    {
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a"));
        Server.FailNext(2, HttpStatusCode.ServiceUnavailable, method: "GET");
        Server.FailNext(1, HttpStatusCode.TooManyRequests, method: "GET", retryAfter: TimeSpan.Zero);

        var read = await Client.GetAsync(ResourceType.ConfigMaps, "default", "a");

        Assert.Equal("a", read.Name());
        Assert.Equal([503, 503, 429, 200], Server.Requests.Where(r => r.Method == "GET").Select(r => r.StatusCode));
    }

    [Fact]
    public async Task GetAsync_PersistentUnavailability_GivesUpWithStatus()
    {
        Server.FailNext(10, HttpStatusCode.ServiceUnavailable, method: "GET");

        var e = await Assert.ThrowsAsync<KubernetesException>(() => Client.GetAsync(ResourceType.ConfigMaps, "default", "a"));

        Assert.Equal(503, e.Code);
        Assert.Equal(1 + FastRetries.MaxRetries, Server.Requests.Count(r => r.Method == "GET"));
    }

    [Fact]
    public async Task CreateAsync_ServiceUnavailable_IsNotRetried()
    {
        Server.FailNext(1, HttpStatusCode.ServiceUnavailable, method: "POST");

        var e = await Assert.ThrowsAsync<KubernetesException>(() => Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a")));

        Assert.Equal("ServiceUnavailable", e.Reason);
        Assert.Equal(1, Server.Requests.Count(r => r.Method == "POST"));
        Assert.Null(await Client.GetOrNullAsync(ResourceType.ConfigMaps, "default", "a"));
    }

    [Fact]
    public async Task CreateAsync_TooManyRequests_RetriedAfterRetryAfter()
    {
        Server.FailNext(1, HttpStatusCode.TooManyRequests, method: "POST", retryAfter: TimeSpan.FromSeconds(1));

        var created = await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a"));

        Assert.Equal("a", created.Name());
        Assert.Equal([429, 201], Server.Requests.Where(r => r.Method == "POST").Select(r => r.StatusCode));
    }
}
