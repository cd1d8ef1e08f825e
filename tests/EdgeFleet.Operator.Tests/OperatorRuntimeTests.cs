using System.Collections.Concurrent;
using EdgeFleet.Kubernetes;

namespace EdgeFleet.Operator.Tests;

public sealed class OperatorRuntimeTests : IAsyncLifetime
{
    private OperatorHarness _h = null!;

    public async Task InitializeAsync() => _h = await OperatorHarness.StartAsync(startOperator: false);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_TwoReplicas_OnlyTheLeaderWritesAndTheOtherTakesOver()
    {
        // Each replica is its own API user; the double's authorization hook records who writes what.
        _h.Server.AddUser("token-a", "replica-a");
        _h.Server.AddUser("token-b", "replica-b");
        var writers = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        _h.Server.Authorize = request =>
        {
            if (request.Verb is "create" or "update" or "patch" or "delete" && request.Resource != "leases" && request.User != "admin")
            {
                writers.AddOrUpdate(request.User, 1, (_, n) => n + 1);
            }

            return true;
        };
        var options = OperatorHarness.FastOptions();
        options.LeaderElection = true;
        var a = _h.StartOperator(options, "replica-a", "token-a");
        await OperatorHarness.EventuallyAsync(() => a.Runtime.HasSynced, "a to lead");
        var b = _h.StartOperator(options, "replica-b", "token-b");

        await _h.CreateFleetAsync();
        await OperatorHarness.EventuallyAsync(() => _h.Get(ResourceType.StatefulSets, "www-shield") is not null, "the fleet");
        await _h.IdleAsync(a);

        Assert.True(a.Runtime.IsLeading);
        Assert.False(b.Runtime.IsLeading);
        Assert.Equal(["replica-a"], writers.Keys);
        Assert.Equal("replica-a", (string?)_h.Get(ResourceType.Leases, "edgefleet-operator")!["spec"]!["holderIdentity"]);

        // The leader stops (releasing the Lease); the standby takes over and repairs drift.
        await a.StopAsync();
        await OperatorHarness.EventuallyAsync(() => b.Runtime.HasSynced, "b to lead");
        await _h.Client.DeleteAsync(ResourceType.StatefulSets, OperatorHarness.Namespace, "www-shield");
        await OperatorHarness.EventuallyAsync(() => _h.Get(ResourceType.StatefulSets, "www-shield") is not null, "b to recreate the StatefulSet");
        Assert.True(writers.ContainsKey("replica-b"));
        Assert.False(a.Runtime.IsLeading);
    }
}
