using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Operator.Reconcilers;

namespace EdgeFleet.Operator.Tests;

public sealed class EdgePurgeClientTests : IAsyncLifetime
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });
    private FakeEdgeServer _edge = null!;

    public async Task InitializeAsync()
    {
        _edge = await FakeEdgeServer.StartAsync();
        _edge.Token = "secret";
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _edge.DisposeAsync();
    }

    [Fact]
    public async Task PurgeAsync_Answered200_PurgedWithTheSoftFlag()
    {
        var outcome = await Client().PurgeAsync(new EdgePod("edge-0", _edge.BaseAddress), "secret", new InvalidationSpec { Tags = ["t"], Mode = InvalidationModes.Soft }, CancellationToken.None);

        Assert.Equal(EdgePurgeResult.Purged, outcome.Result);
        Assert.True((bool)Assert.Single(_edge.Purged)["soft"]!);
    }

    [Fact]
    public async Task PurgeAsync_ConnectionDropped_UnreachableAfterThreeTries()
    {
        _edge.Down = true;

        var outcome = await Client().PurgeAsync(new EdgePod("edge-0", _edge.BaseAddress), "secret", new InvalidationSpec { Urls = ["/a"] }, CancellationToken.None);

        Assert.Equal(EdgePurgeResult.Unreachable, outcome.Result);
        Assert.StartsWith("edge-0: ", outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(3, _edge.Attempts);
    }

    [Fact]
    public async Task PurgeAsync_NobodyListening_Unreachable()
    {
        var outcome = await Client().PurgeAsync(new EdgePod("edge-9", Loopback.DeadEndpoint()), "secret", new InvalidationSpec { Urls = ["/a"] }, CancellationToken.None);

        Assert.Equal(EdgePurgeResult.Unreachable, outcome.Result);
        Assert.StartsWith("edge-9: ", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PurgeAsync_WrongToken_RejectedWithoutRetry()
    {
        var outcome = await Client().PurgeAsync(new EdgePod("edge-0", _edge.BaseAddress), "wrong", new InvalidationSpec { Urls = ["/a"] }, CancellationToken.None);

        Assert.Equal(EdgePurgeResult.Rejected, outcome.Result);
        Assert.StartsWith("edge-0 refused the purge: 401 Unauthorized", outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(1, _edge.Attempts);
    }

    private EdgePurgeClient Client() => new(_http, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(5), TimeProvider.System);
}
