using EdgeFleet.Kubernetes.Testing;

namespace EdgeFleet.Kubernetes.Tests;

public sealed class LeaderElectorTests : ApiServerFixture
{
    [Fact]
    public async Task TryAcquireOrRenewAsync_HeldLease_TakenOverOnlyAfterExpiry()
    {
        var clock = new ManualTimeProvider();
        var a = new LeaderElector(Client, Options("a"), clock);
        var b = new LeaderElector(Client, Options("b"), clock);

        Assert.True(await a.TryAcquireOrRenewAsync());
        Assert.False(await b.TryAcquireOrRenewAsync());
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await a.TryAcquireOrRenewAsync());
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False(await b.TryAcquireOrRenewAsync()); // a renewed 10 s ago: not expired
        clock.Advance(TimeSpan.FromSeconds(16));
        Assert.True(await b.TryAcquireOrRenewAsync()); // unchanged for 16 s > 15 s
        Assert.False(await a.TryAcquireOrRenewAsync());

        var lease = Server.Get(ResourceType.Leases, "default", "edgefleet-operator")!;
        Assert.Equal("b", (string?)lease["spec"]!["holderIdentity"]);
        Assert.Equal(1, (int?)lease["spec"]!["leaseTransitions"]);
        Assert.Equal(15, (int?)lease["spec"]!["leaseDurationSeconds"]);
        Assert.Equal("b", a.ObservedHolder);
    }

    [Fact]
    public async Task RunAsync_TwoCandidates_OneLeaderAtATimeAndHandOverOnCancel()
    {
        var fast = Options("x") with
        {
            LeaseDuration = TimeSpan.FromSeconds(5),
            RenewDeadline = TimeSpan.FromSeconds(3),
            RetryPeriod = TimeSpan.FromMilliseconds(100),
        };
        var leaders = 0;
        var maxLeaders = 0;
        var led = new List<string>();
        Func<CancellationToken, Task> Work(string who) => async token =>
        {
            var now = Interlocked.Increment(ref leaders);
            lock (led)
            {
                led.Add(who);
                maxLeaders = Math.Max(maxLeaders, now);
            }

            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            finally
            {
                Interlocked.Decrement(ref leaders);
            }
        };
        var a = new LeaderElector(Client, fast with { Identity = "a" });
        var b = new LeaderElector(Client, fast with { Identity = "b" });
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runA = a.RunAsync(Work("a"), stopA.Token);
        await EventuallyAsync(() => a.IsLeader, "a leads");
        var runB = b.RunAsync(Work("b"), stopB.Token);
        await Task.Delay(500); // b campaigns for several retry periods while a renews
        Assert.False(b.IsLeader);

        await stopA.CancelAsync(); // a releases the lease on the way out
        await runA;
        await EventuallyAsync(() => b.IsLeader, "b takes over");

        Assert.Equal(["a", "b"], led);
        Assert.Equal(1, maxLeaders);
        await stopB.CancelAsync();
        await runB;
    }

    [Fact]
    public async Task RunAsync_RenewalsRefused_StepsDownAndCancelsWork()
    {
        Server.AddUser("a-token", "a");
        var refuse = false;
        Server.Authorize = r => !(Volatile.Read(ref refuse) && r.User == "a" && r.Verb == "update");
        using var clientA = ClientFor("a-token");
        // A renew deadline with room for a first renewal on a loaded machine (its first PUT pays for
        // JIT and a new connection): with 1 s, a slow first round made the leader step down before
        // it ever renewed, and the test waited for a renewal that could no longer come.
        var elector = new LeaderElector(clientA, Options("a") with
        {
            LeaseDuration = TimeSpan.FromSeconds(8),
            RenewDeadline = TimeSpan.FromSeconds(4),
            RetryPeriod = TimeSpan.FromMilliseconds(100),
        });
        var workCancelled = new TaskCompletionSource();
        var run = elector.RunAsync(async token =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                workCancelled.SetResult();
                throw;
            }
        }, CancellationToken.None);
        await EventuallyAsync(() => Server.Requests.Any(r => r.Method == "PUT" && r.StatusCode == 200), "a renews");

        Volatile.Write(ref refuse, true);

        await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(workCancelled.Task.IsCompletedSuccessfully);
        Assert.False(elector.IsLeader);
        await EventuallyAsync(() => Server.Requests.Any(r => r.Method == "PUT" && r.StatusCode == 403), "a refused renewal");
    }

    private static LeaderElectionOptions Options(string identity) => new()
    {
        LeaseNamespace = "default",
        LeaseName = "edgefleet-operator",
        Identity = identity,
    };
}
