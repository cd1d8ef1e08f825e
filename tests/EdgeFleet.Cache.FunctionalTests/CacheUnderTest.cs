using EdgeFleet.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EdgeFleet.Cache.FunctionalTests;

/// <summary>The real cache server, in process, on loopback ports, in front of a scripted origin.</summary>
public sealed class CacheUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CacheUnderTest(WebApplication app, ShiftedTimeProvider clock)
    {
        _app = app;
        Clock = clock;
        var endpoints = app.Services.GetRequiredService<ListenerEndpoints>();
        PublicUrl = endpoints.PublicUrl;
        AdminUrl = endpoints.AdminUrl;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(PublicUrl) };
        Admin = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(AdminUrl) };
    }

    public string PublicUrl { get; }

    public string AdminUrl { get; }

    public HttpClient Client { get; }

    public HttpClient Admin { get; }

    public ShiftedTimeProvider Clock { get; }

    public IObjectStore Store => _app.Services.GetRequiredService<IObjectStore>();

    public IServiceProvider Services => _app.Services;

    public static async Task<CacheUnderTest> StartAsync(string originUrl, params string[] extraArgs)
    {
        var clock = new ShiftedTimeProvider();
        string[] args = ["--origin", originUrl, "--listen", "http://127.0.0.1:0", "--admin-listen", "http://127.0.0.1:0", "--dns-ttl", "0", .. extraArgs];
        var app = CacheServerHost.Build(args, services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
        });
        await app.StartAsync();
        return new CacheUnderTest(app, clock);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
