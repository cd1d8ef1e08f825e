using System.Net;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Operator.Reconcilers;

namespace EdgeFleet.Operator.Tests;

public sealed class ShieldAdminClientTests : IAsyncLifetime
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });
    private FakeShieldServer _shield = null!;

    public async Task InitializeAsync()
    {
        _shield = await FakeShieldServer.StartAsync();
        _shield.Token = "secret";
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _shield.DisposeAsync();
    }

    [Fact]
    public async Task StartAsync_FirstShieldDown_NextOneTakesIt()
    {
        var client = new ShieldAdminClient(_http, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(5), TimeProvider.System);

        var id = await client.StartAsync([Loopback.DeadEndpoint(), _shield.BaseAddress], "secret", new InvalidationSpec { Tags = ["t"], Mode = InvalidationModes.Soft }, CancellationToken.None);

        Assert.Equal("inv-1", id);
        Assert.True((bool)_shield.Accepted[id]["soft"]!);
        Assert.Equal(1, _shield.Posts);
    }

    [Fact]
    public async Task GetProgressAsync_UnknownId_NullSoTheCallerSendsAgain()
    {
        var client = new ShieldAdminClient(_http, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(5), TimeProvider.System);

        Assert.Null(await client.GetProgressAsync([_shield.BaseAddress], "secret", "inv-404", CancellationToken.None));
    }

    [Fact]
    public async Task StartAsync_EveryShieldFailing_UnavailableAfterTryingEachTwice()
    {
        _shield.FailWith = HttpStatusCode.BadGateway;
        var client = new ShieldAdminClient(_http, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(5), TimeProvider.System);

        var e = await Assert.ThrowsAsync<ShieldUnavailableException>(
            () => client.StartAsync([_shield.BaseAddress, _shield.BaseAddress], "secret", new InvalidationSpec { Urls = ["/a"] }, CancellationToken.None));

        Assert.Contains("502", e.Message, StringComparison.Ordinal);
        Assert.Equal(4, _shield.Posts);
    }

    [Fact]
    public async Task StartAsync_NoShieldPods_RejectedWithoutACall()
    {
        var client = new ShieldAdminClient(_http, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(5), TimeProvider.System);

        await Assert.ThrowsAsync<ShieldRejectedException>(
            () => client.StartAsync([], "secret", new InvalidationSpec { Urls = ["/a"] }, CancellationToken.None));
        Assert.Equal(0, _shield.Posts);
    }
}
