using System.Collections.Concurrent;

namespace EdgeFleet.Kubernetes.Tests;

public sealed class ListWatchTests : ApiServerFixture
{
    [Fact]
    public async Task RunAsync_AfterSync_CacheFollowsChanges()
    {
        await Client.CreateAsync(ResourceType.EdgeCaches, EdgeCache("a"));
        var watch = new ListWatch(Client, ResourceType.EdgeCaches, "default") { RetryDelay = TimeSpan.FromMilliseconds(20) };
        var changes = new ConcurrentQueue<string>();
        watch.Changed += (_, c) => changes.Enqueue($"{c.Type} {c.Key}");
        using var cts = new CancellationTokenSource();
        var run = watch.RunAsync(cts.Token);

        await watch.WaitForSyncAsync(cts.Token);
        Assert.True(watch.TryGet("default", "a", out _));
        await Client.CreateAsync(ResourceType.EdgeCaches, EdgeCache("b"));
        await Client.PatchAsync(ResourceType.EdgeCaches, "default", "a", KubernetesJson.Parse("""{"spec":{"replicas":4}}"""));
        await Client.DeleteAsync(ResourceType.EdgeCaches, "default", "b");

        await EventuallyAsync(() => changes.Count >= 4, "four changes");
        Assert.Equal(["Added default/a", "Added default/b", "Modified default/a", "Deleted default/b"], changes);
        Assert.True(watch.TryGet("default", "a", out var a));
        Assert.Equal(4, (int?)a!["spec"]!["replicas"]);
        Assert.Single(watch.Items);
        await cts.CancelAsync();
        await run;
    }

    [Fact]
    public async Task RunAsync_StreamDropped_ResumesFromLastVersionWithoutRelist()
    {
        var watch = new ListWatch(Client, ResourceType.ConfigMaps, "default") { RetryDelay = TimeSpan.FromMilliseconds(20) };
        using var cts = new CancellationTokenSource();
        var run = watch.RunAsync(cts.Token);
        await watch.WaitForSyncAsync(cts.Token);
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a"));
        await EventuallyAsync(() => watch.TryGet("default", "a", out _), "a cached");
        var versionBeforeDrop = watch.ResourceVersion;

        Server.DisconnectWatches();
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("b"));

        await EventuallyAsync(() => watch.TryGet("default", "b", out _), "b cached after the drop");
        Assert.Equal(1, watch.ListCount);
        Assert.True(watch.ResumeCount >= 1);
        var resumed = Server.Requests.Where(r => r.Query.Contains("watch=1", StringComparison.Ordinal)).Skip(1).First();
        Assert.Contains($"resourceVersion={versionBeforeDrop}", resumed.Query, StringComparison.Ordinal);
        await cts.CancelAsync();
        await run;
    }

    [Fact]
    public async Task RunAsync_Bookmarks_AdvanceResumePointWithoutChanges()
    {
        Server.BookmarkInterval = TimeSpan.FromMilliseconds(50);
        var watch = new ListWatch(Client, ResourceType.Leases, "default");
        var changes = 0;
        watch.Changed += (_, _) => Interlocked.Increment(ref changes);
        using var cts = new CancellationTokenSource();
        var run = watch.RunAsync(cts.Token);
        await watch.WaitForSyncAsync(cts.Token);

        // Changes to another type move the global resourceVersion; only bookmarks tell this watch.
        var other = await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("elsewhere"));

        await EventuallyAsync(() => watch.ResourceVersion == other.ResourceVersion(), "resume point at the latest version");
        Assert.Equal(0, Volatile.Read(ref changes));
        await cts.CancelAsync();
        await run;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunAsync_HistoryCompacted_RelistsAndReportsMissedDeletion(bool goneAsHttpStatus)
    {
        Server.WatchGoneAsHttpStatus = goneAsHttpStatus;
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("doomed"));
        var watch = new ListWatch(Client, ResourceType.ConfigMaps, "default") { RetryDelay = TimeSpan.FromMilliseconds(20) };
        var deleted = new ConcurrentQueue<string>();
        watch.Changed += (_, c) =>
        {
            if (c.Type == ResourceChangeType.Deleted)
            {
                deleted.Enqueue(c.Key);
            }
        };
        using var cts = new CancellationTokenSource();
        var run = watch.RunAsync(cts.Token);
        await watch.WaitForSyncAsync(cts.Token);

        // While the watch cannot reconnect, the object goes and the history that recorded it is compacted.
        var blocked = true;
        Server.Authorize = r => !(Volatile.Read(ref blocked) && r.Verb == "watch");
        Server.DisconnectWatches();
        await Client.DeleteAsync(ResourceType.ConfigMaps, "default", "doomed");
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("fresh"));
        Server.CompactHistory();
        Volatile.Write(ref blocked, false);

        await EventuallyAsync(() => watch.TryGet("default", "fresh", out _), "fresh cached after relist");
        Assert.True(watch.ListCount >= 2);
        Assert.Equal(["default/doomed"], deleted);
        Assert.False(watch.TryGet("default", "doomed", out _));
        await cts.CancelAsync();
        await run;
    }

    [Fact]
    public async Task RunAsync_ServerUnavailableAtStart_RetriesUntilSynced()
    {
        Server.FailNext(8, System.Net.HttpStatusCode.ServiceUnavailable, method: "GET");
        var watch = new ListWatch(Client, ResourceType.Origins) { RetryDelay = TimeSpan.FromMilliseconds(20) };
        using var cts = new CancellationTokenSource();
        var run = watch.RunAsync(cts.Token);

        await watch.WaitForSyncAsync(cts.Token).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(watch.HasSynced);
        Assert.Equal(8, Server.Requests.Count(r => r.StatusCode == 503));
        await cts.CancelAsync();
        await run;
    }
}
