using System.Net;
using System.Text.Json.Nodes;
using EdgeFleet.Kubernetes;
using EdgeFleet.Operator.Reconcilers;

namespace EdgeFleet.Operator.Tests;

public sealed class InvalidationReconcilerTests : IAsyncLifetime
{
    private OperatorHarness _h = null!;

    public async Task InitializeAsync() => _h = await OperatorHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Reconcile_NewInvalidation_PendingInProgressCompleteWithTheShieldsCounts()
    {
        await FleetWithShieldTokenAsync();
        var phases = new List<string>();
        var informer = new ListWatch(_h.Client, ResourceType.Invalidations, OperatorHarness.Namespace);
        informer.Changed += (_, change) =>
        {
            if ((string?)change.Resource["status"]?["phase"] is { } phase)
            {
                lock (phases)
                {
                    if (phases.Count == 0 || phases[^1] != phase)
                    {
                        phases.Add(phase);
                    }
                }
            }
        };
        using var stop = new CancellationTokenSource();
        var watching = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync();

        var name = (await _h.CreateExampleAsync("invalidation.yaml")).Name()!;

        await OperatorHarness.EventuallyAsync(() => Status(name)?["phase"]?.GetValue<string>() == "InProgress" && (long?)Status(name)!["targeted"] == 5, "InProgress with counts");
        var id = Assert.Single(_h.Shield.Accepted.Keys);
        Assert.Equal([id], ((JsonArray)Status(name)!["shieldInvalidationIds"]!).Select(i => (string?)i));
        var body = _h.Shield.Accepted[id];
        Assert.Equal(["/index.html", "https://www.example.com/assets/app.js"], ((JsonArray)body["urls"]!).Select(u => (string?)u));
        Assert.Equal(["/news/"], ((JsonArray)body["prefixes"]!).Select(u => (string?)u));
        Assert.Equal(["product-1234"], ((JsonArray)body["tags"]!).Select(u => (string?)u));
        Assert.False((bool)body["soft"]!);
        Assert.Equal("AwaitingAcknowledgements", (string?)OperatorHarness.Condition(_h.Get(ResourceType.Invalidations, name), "Ready")!["reason"]);

        _h.Shield.Acknowledged = 4;
        await OperatorHarness.EventuallyAsync(() => (long?)Status(name)?["acknowledged"] == 4, "acknowledged 4");
        _h.Shield.Expired = 1;
        _h.Shield.Complete = true;

        await OperatorHarness.EventuallyAsync(() => Status(name)?["phase"]?.GetValue<string>() == "Complete", "Complete");
        var status = Status(name)!;
        Assert.Equal(5L, (long?)status["targeted"]);
        Assert.Equal(4L, (long?)status["acknowledged"]);
        Assert.Equal(1L, (long?)status["expired"]);
        Assert.NotNull(status["completionTime"]);
        Assert.NotNull(status["startTime"]);
        Assert.Equal("True", (string?)OperatorHarness.Condition(_h.Get(ResourceType.Invalidations, name), "Ready")!["status"]);
        Assert.Equal(1, _h.Shield.Posts);
        Assert.Equal(0, _h.Shield.Unauthorized);
        await OperatorHarness.EventuallyAsync(() => { lock (phases) { return phases.Count >= 3; } }, "the informer to see every phase");
        lock (phases)
        {
            Assert.Equal(["Pending", "InProgress", "Complete"], phases);
        }

        await stop.CancelAsync();
        await watching;
    }

    [Fact]
    public async Task Reconcile_Complete_NotSentAgain()
    {
        await FleetWithShieldTokenAsync();
        _h.Shield.Complete = true;
        var name = (await _h.CreateExampleAsync("invalidation.yaml")).Name()!;
        await OperatorHarness.EventuallyAsync(() => Status(name)?["phase"]?.GetValue<string>() == "Complete", "Complete");
        await _h.IdleAsync();
        var (posts, gets) = (_h.Shield.Posts, _h.Shield.Gets);

        _h.Operator.Runtime.ResyncNow();
        await _h.IdleAsync();

        Assert.Equal((1, gets), (_h.Shield.Posts, _h.Shield.Gets));
        Assert.Equal(1, posts);
    }

    [Fact]
    public async Task Reconcile_EdgeCacheMissing_FailedWithTheReason()
    {
        var name = (await _h.CreateExampleAsync("invalidation.yaml")).Name()!;

        await OperatorHarness.EventuallyAsync(() => Status(name)?["phase"]?.GetValue<string>() == "Failed", "Failed");
        var ready = OperatorHarness.Condition(_h.Get(ResourceType.Invalidations, name), "Ready")!;
        Assert.Equal("EdgeCacheNotFound", (string?)ready["reason"]);
        Assert.Equal("EdgeCache \"www\" not found in namespace default", (string?)ready["message"]);
        Assert.Equal(0, _h.Shield.Posts);
    }

    [Fact]
    public async Task Reconcile_ShieldUnreachable_DegradedThenCompletesOnceItAnswers()
    {
        await FleetWithShieldTokenAsync();
        _h.Shield.FailWith = HttpStatusCode.ServiceUnavailable;
        _h.Shield.Complete = true;

        var name = (await _h.CreateExampleAsync("invalidation.yaml")).Name()!;

        await OperatorHarness.EventuallyAsync(
            () => (string?)OperatorHarness.Condition(_h.Get(ResourceType.Invalidations, name), "Degraded")?["status"] == "True", "Degraded=True");
        var degraded = OperatorHarness.Condition(_h.Get(ResourceType.Invalidations, name), "Degraded")!;
        Assert.Equal("ShieldUnreachable", (string?)degraded["reason"]);
        Assert.Contains("503", (string?)degraded["message"], StringComparison.Ordinal);
        Assert.Equal("Pending", Status(name)!["phase"]!.GetValue<string>());
        await OperatorHarness.EventuallyAsync(() => _h.Shield.Posts >= 4, "retries"); // the shield tried more than once per reconcile, reconciles retried

        _h.Shield.FailWith = null;

        await OperatorHarness.EventuallyAsync(() => Status(name)?["phase"]?.GetValue<string>() == "Complete", "Complete once the shield answers");
        Assert.Equal("False", (string?)OperatorHarness.Condition(_h.Get(ResourceType.Invalidations, name), "Degraded")!["status"]);
        Assert.Single(_h.Shield.Accepted);
    }

    [Fact]
    public async Task Reconcile_WrongToken_DegradedNotComplete()
    {
        await _h.CreateFleetAsync();
        await OperatorHarness.EventuallyAsync(() => _h.Get(ResourceType.Secrets, "www-admin") is not null, "the admin Secret");
        _h.Shield.Token = "some-other-token";

        var name = (await _h.CreateExampleAsync("invalidation.yaml")).Name()!;

        await OperatorHarness.EventuallyAsync(
            () => (string?)OperatorHarness.Condition(_h.Get(ResourceType.Invalidations, name), "Degraded")?["reason"] == "ShieldUnreachable", "Degraded");
        Assert.Contains("401", (string?)OperatorHarness.Condition(_h.Get(ResourceType.Invalidations, name), "Degraded")!["message"], StringComparison.Ordinal);
        Assert.True(_h.Shield.Unauthorized > 0);
        Assert.Empty(_h.Shield.Accepted);
    }

    [Fact]
    public async Task Reconcile_NoShields_PurgesEveryEdgePodAndCompletes()
    {
        var token = await FleetWithoutShieldsAsync();
        await using var eu = await FakeEdgeAsync(token);
        await using var us = await FakeEdgeAsync(token);
        _h.Edges.Set(new EdgePod("www-edge-eu-west-0", eu.BaseAddress), new EdgePod("www-edge-us-east-0", us.BaseAddress));

        var name = (await _h.CreateExampleAsync("invalidation.yaml")).Name()!;

        await OperatorHarness.EventuallyAsync(() => Status(name)?["phase"]?.GetValue<string>() == "Complete", "Complete");
        var status = Status(name)!;
        Assert.Equal(2L, (long?)status["targeted"]);
        Assert.Equal(2L, (long?)status["acknowledged"]);
        Assert.NotNull(status["startTime"]);
        Assert.NotNull(status["completionTime"]);
        var ready = OperatorHarness.Condition(_h.Get(ResourceType.Invalidations, name), "Ready")!;
        Assert.Equal(("True", "InvalidationComplete"), ((string?)ready["status"], (string?)ready["reason"]));
        foreach (var edge in new[] { eu, us })
        {
            var body = Assert.Single(edge.Purged);
            Assert.Equal(["/index.html", "https://www.example.com/assets/app.js"], ((JsonArray)body["urls"]!).Select(u => (string?)u));
            Assert.Equal(["/news/"], ((JsonArray)body["prefixes"]!).Select(u => (string?)u));
            Assert.Equal(["product-1234"], ((JsonArray)body["tags"]!).Select(u => (string?)u));
            Assert.False((bool)body["soft"]!);
            Assert.Equal("Bearer " + token, edge.LastAuthorization);
        }

        Assert.Equal(0, _h.Shield.Posts);
        await OperatorHarness.EventuallyAsync(
            () => _h.Server.List(ResourceType.Events).Any(e => (string?)e["reason"] == "InvalidationComplete" && (string?)e["type"] == "Normal"
                && (string?)e["involvedObject"]?["name"] == name),
            "a Normal event");
    }

    [Fact]
    public async Task Reconcile_NoShieldsAndAnEdgeDown_DegradedThenCompleteWithoutPurgingTheOtherTwice()
    {
        var token = await FleetWithoutShieldsAsync();
        await using var eu = await FakeEdgeAsync(token);
        await using var us = await FakeEdgeAsync(token);
        us.Down = true;
        _h.Edges.Set(new EdgePod("www-edge-eu-west-0", eu.BaseAddress), new EdgePod("www-edge-us-east-0", us.BaseAddress));

        var name = (await _h.CreateExampleAsync("invalidation.yaml")).Name()!;

        await OperatorHarness.EventuallyAsync(
            () => (string?)OperatorHarness.Condition(_h.Get(ResourceType.Invalidations, name), "Degraded")?["status"] == "True", "Degraded=True");
        var degraded = OperatorHarness.Condition(_h.Get(ResourceType.Invalidations, name), "Degraded")!;
        Assert.Equal("EdgeUnreachable", (string?)degraded["reason"]);
        Assert.Contains("www-edge-us-east-0", (string?)degraded["message"], StringComparison.Ordinal);
        Assert.DoesNotContain("www-edge-eu-west-0", (string?)degraded["message"], StringComparison.Ordinal);
        var status = Status(name)!;
        Assert.Equal("InProgress", (string?)status["phase"]);
        Assert.Equal((2L, 1L), ((long?)status["targeted"], (long?)status["acknowledged"]));
        await OperatorHarness.EventuallyAsync(() => us.Attempts > 3, "a second reconcile"); // three tries per reconcile

        us.Down = false;

        await OperatorHarness.EventuallyAsync(() => Status(name)?["phase"]?.GetValue<string>() == "Complete", "Complete once the edge answers");
        Assert.Equal(2L, (long?)Status(name)!["acknowledged"]);
        Assert.Equal("False", (string?)OperatorHarness.Condition(_h.Get(ResourceType.Invalidations, name), "Degraded")!["status"]);
        Assert.Single(us.Purged);
        Assert.Single(eu.Purged);
        Assert.Equal(1, eu.Attempts);
    }

    [Fact]
    public async Task Reconcile_NoShieldsAndAnEdgeRefusesTheToken_FailedNamingIt()
    {
        var token = await FleetWithoutShieldsAsync();
        await using var eu = await FakeEdgeAsync(token);
        await using var us = await FakeEdgeAsync("some-other-token");
        _h.Edges.Set(new EdgePod("www-edge-eu-west-0", eu.BaseAddress), new EdgePod("www-edge-us-east-0", us.BaseAddress));

        var name = (await _h.CreateExampleAsync("invalidation.yaml")).Name()!;

        await OperatorHarness.EventuallyAsync(() => Status(name)?["phase"]?.GetValue<string>() == "Failed", "Failed");
        var ready = OperatorHarness.Condition(_h.Get(ResourceType.Invalidations, name), "Ready")!;
        Assert.Equal("EdgeRejected", (string?)ready["reason"]);
        Assert.StartsWith("www-edge-us-east-0 refused the purge: 401", (string?)ready["message"], StringComparison.Ordinal);
        Assert.Equal(1, us.Attempts); // a refusal is not retried
        Assert.Empty(us.Purged);
    }

    // The fleet with spec.shield.replicas 0, once its admin Secret exists; answers that Secret's token.
    private async Task<string> FleetWithoutShieldsAsync()
    {
        await _h.CreateOriginSecretsAsync();
        await _h.CreateExampleAsync("origin.yaml");
        await _h.CreateExampleAsync("edgecache.yaml", m => m["spec"]!["shield"] = new JsonObject { ["replicas"] = 0 });
        return await AdminTokenAsync();
    }

    private static async Task<FakeEdgeServer> FakeEdgeAsync(string token)
    {
        var edge = await FakeEdgeServer.StartAsync();
        edge.Token = token;
        return edge;
    }

    private async Task<string> AdminTokenAsync()
    {
        await OperatorHarness.EventuallyAsync(() => _h.Get(ResourceType.Secrets, "www-admin") is not null, "the admin Secret");
        var encoded = _h.Get(ResourceType.Secrets, "www-admin")!["data"]!["admin-token"]!.GetValue<string>();
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
    }

    // The fleet (so the admin Secret exists) and the fake shield accepting that Secret's token.
    private async Task FleetWithShieldTokenAsync()
    {
        await _h.CreateFleetAsync();
        _h.Shield.Token = await AdminTokenAsync();
    }

    private JsonNode? Status(string name) => _h.Get(ResourceType.Invalidations, name)?["status"];
}
