using System.Threading.Channels;

namespace EdgeFleet.Kubernetes.Tests;

/// <summary>Tests of <see cref="KubernetesClient.WatchAsync"/> against the double's watch streams.</summary>
public sealed class WatchTests : ApiServerFixture
{
    [Fact]
    public async Task WatchAsync_FromListVersion_StreamsChangesInOrder()
    {
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("before"));
        var list = await Client.ListAsync(ResourceType.ConfigMaps, "default");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = Collect(Client.WatchAsync(ResourceType.ConfigMaps, "default",
            new WatchOptions { ResourceVersion = list.ResourceVersion, AllowBookmarks = false }, cts.Token), cts.Token);

        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a"));
        await Client.PatchAsync(ResourceType.ConfigMaps, "default", "a", KubernetesJson.Parse("""{"data":{"k":"w"}}"""));
        await Client.DeleteAsync(ResourceType.ConfigMaps, "default", "a");

        var seen = await Take(events.Reader, 3, cts.Token);
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], seen.Select(e => e.Type));
        Assert.All(seen, e => Assert.Equal("a", e.Resource.Name()));
        Assert.Equal("w", (string?)seen[1].Resource["data"]!["k"]);
    }

    [Fact]
    public async Task WatchAsync_FromOlderVersion_ReplaysOnlyLaterChanges()
    {
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a"));
        var mark = (await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("b"))).ResourceVersion();
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("c"));
        await Client.DeleteAsync(ResourceType.ConfigMaps, "default", "a");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var events = Collect(Client.WatchAsync(ResourceType.ConfigMaps, "default",
            new WatchOptions { ResourceVersion = mark, AllowBookmarks = false }, cts.Token), cts.Token);

        var seen = await Take(events.Reader, 2, cts.Token);
        Assert.Equal(["ADDED c", "DELETED a"], seen.Select(e => $"{WatchEvent.WireName(e.Type)} {e.Resource.Name()}"));
    }

    [Fact]
    public async Task WatchAsync_NoVersion_StartsWithCurrentObjects()
    {
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a", app: "edge"));
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("b", app: "shield"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var events = Collect(Client.WatchAsync(ResourceType.ConfigMaps, null,
            new WatchOptions { LabelSelector = "app=edge", AllowBookmarks = false }, cts.Token), cts.Token);

        var first = Assert.Single(await Take(events.Reader, 1, cts.Token));
        Assert.Equal(WatchEventType.Added, first.Type);
        Assert.Equal("a", first.Resource.Name());
    }

    [Fact]
    public async Task WatchAsync_LabelChangeLeavesSelector_ReportedAsDeleted()
    {
        var created = await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a", app: "edge"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = Collect(Client.WatchAsync(ResourceType.ConfigMaps, "default",
            new WatchOptions { ResourceVersion = created.ResourceVersion(), LabelSelector = "app=edge", AllowBookmarks = false }, cts.Token), cts.Token);

        await Client.PatchAsync(ResourceType.ConfigMaps, "default", "a", KubernetesJson.Parse("""{"metadata":{"labels":{"app":"shield"}}}"""));

        Assert.Equal(WatchEventType.Deleted, (await Take(events.Reader, 1, cts.Token))[0].Type);
    }

    [Fact]
    public async Task WatchAsync_Bookmarks_CarryCurrentResourceVersion()
    {
        Server.BookmarkInterval = TimeSpan.FromMilliseconds(50);
        var created = await Client.CreateAsync(ResourceType.Leases, KubernetesJson.Parse("""{"metadata":{"name":"l"},"spec":{}}"""));
        var latest = (await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("other-type"))).ResourceVersion();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var events = Collect(Client.WatchAsync(ResourceType.Leases, "default",
            new WatchOptions { ResourceVersion = created.ResourceVersion(), AllowBookmarks = true }, cts.Token), cts.Token);

        var bookmark = (await Take(events.Reader, 1, cts.Token))[0];
        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.Equal(latest, bookmark.ResourceVersion);
    }

    [Fact]
    public async Task WatchAsync_VersionOlderThanHistory_YieldsExpiredError()
    {
        var old = (await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a"))).ResourceVersion();
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("b"));
        Server.CompactHistory();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var events = Collect(Client.WatchAsync(ResourceType.ConfigMaps, "default", new WatchOptions { ResourceVersion = old }, cts.Token), cts.Token);

        var error = (await Take(events.Reader, 1, cts.Token))[0];
        Assert.Equal(WatchEventType.Error, error.Type);
        Assert.True(error.ToException().IsGone);
    }

    [Fact]
    public async Task WatchAsync_VersionOlderThanHistoryAsHttpStatus_ThrowsGone()
    {
        var old = (await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a"))).ResourceVersion();
        Server.HistoryLimit = 1;
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("b"));
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("c"));
        Server.WatchGoneAsHttpStatus = true;

        var e = await Assert.ThrowsAsync<KubernetesException>(async () =>
        {
            await foreach (var unused in Client.WatchAsync(ResourceType.ConfigMaps, "default", new WatchOptions { ResourceVersion = old }))
            {
                Assert.Fail("no event expected");
            }
        });

        Assert.True(e.IsGone);
        Assert.Equal("Expired", e.Reason);
    }

    [Fact]
    public async Task WatchAsync_ServerTimeout_EndsSequence()
    {
        var rv = (await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a"))).ResourceVersion();
        var count = 0;

        await foreach (var unused in Client.WatchAsync(ResourceType.ConfigMaps, "default",
            new WatchOptions { ResourceVersion = rv, TimeoutSeconds = 1, AllowBookmarks = false }))
        {
            count++;
        }

        Assert.Equal(0, count);
    }

    [Fact]
    public async Task WatchAsync_StreamOutlivesRequestTimeout_KeepsStreaming()
    {
        // The per-attempt timeout bounds the wait for response headers, never the stream itself.
        // Writes go through another client: on a loaded machine a 2 s budget is not a bound
        // on the watch, which is what the test is about.
        using var client = new KubernetesClient(Server.ClientConfiguration(), FastRetries with { RequestTimeout = TimeSpan.FromSeconds(2) });
        var rv = (await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a"))).ResourceVersion();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = Collect(client.WatchAsync(ResourceType.ConfigMaps, "default",
            new WatchOptions { ResourceVersion = rv, AllowBookmarks = false }, cts.Token), cts.Token);
        await EventuallyAsync(() => Server.Requests.Any(r => r.Query.Contains("watch=1", StringComparison.Ordinal)), "watch open");

        await Task.Delay(TimeSpan.FromSeconds(3), cts.Token);
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("late"));

        var late = (await Take(events.Reader, 1, cts.Token))[0];
        Assert.Equal("late", late.Resource.Name());
    }

    [Fact]
    public async Task WatchAsync_AllNamespaces_SeesEveryNamespace()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var rv = Server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var events = Collect(Client.WatchAsync(ResourceType.ConfigMaps, null,
            new WatchOptions { ResourceVersion = rv, AllowBookmarks = false }, cts.Token), cts.Token);

        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a", ns: "one"));
        await Client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("b", ns: "two"));

        var seen = await Take(events.Reader, 2, cts.Token);
        Assert.Equal(["one/a", "two/b"], seen.Select(e => e.Resource.Key()));
        Assert.Contains(Server.Requests, r => r.Path == "/api/v1/configmaps");
    }

    private static Channel<WatchEvent> Collect(IAsyncEnumerable<WatchEvent> stream, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<WatchEvent>();
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in stream.WithCancellation(cancellationToken))
                {
                    await channel.Writer.WriteAsync(e, cancellationToken);
                }

                channel.Writer.TryComplete();
            }
            catch (Exception e)
            {
                channel.Writer.TryComplete(e);
            }
        }, cancellationToken);
        return channel;
    }

    private static async Task<List<WatchEvent>> Take(ChannelReader<WatchEvent> reader, int count, CancellationToken cancellationToken)
    {
        var taken = new List<WatchEvent>();
        while (taken.Count < count)
        {
            taken.Add(await reader.ReadAsync(cancellationToken));
        }

        return taken;
    }

}
