using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeFleet.Cache.FunctionalTests;

/// <summary>
/// A real origin on 127.0.0.1:0 whose answers each test scripts per path, counting the requests
/// it receives and keeping their headers.
/// </summary>
public sealed class ScriptedOrigin : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _handlers = new();
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly ConcurrentQueue<(string Path, IHeaderDictionary Headers, string Method)> _requests = new();
    private WebApplication? _app;

    public string Url { get; private set; } = "";

    /// <summary>When set, the origin's Date comes from this clock (the cache's, which tests move).</summary>
    public TimeProvider? Clock { get; set; }

    public static async Task<ScriptedOrigin> StartAsync()
    {
        var origin = new ScriptedOrigin();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        var app = builder.Build();
        app.Run(origin.HandleAsync);
        await app.StartAsync();
        origin._app = app;
        origin.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return origin;
    }

    /// <summary>Scripts the answer for a path (path and query, exactly).</summary>
    public void On(string path, Func<HttpContext, Task> handler) => _handlers[path] = handler;

    /// <summary>Scripts a fixed answer.</summary>
    public void On(string path, int status, string body, params (string Name, string Value)[] headers) =>
        On(path, async context =>
        {
            context.Response.StatusCode = status;
            foreach (var (name, value) in headers)
            {
                context.Response.Headers.Append(name, value);
            }

            await context.Response.WriteAsync(body);
        });

    /// <summary>Scripts a cacheable answer of <paramref name="length"/> random bytes (seeded), and returns them.</summary>
    public byte[] OnRandomBytes(string path, int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        On(path, async context =>
        {
            context.Response.Headers.CacheControl = "max-age=600";
            context.Response.ContentLength = data.Length;
            await context.Response.Body.WriteAsync(data);
        });
        return data;
    }

    public int Count(string path) => _counts.TryGetValue(path, out var n) ? n : 0;

    public IReadOnlyList<(string Path, IHeaderDictionary Headers, string Method)> Requests => [.. _requests];

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path + context.Request.QueryString;
        _counts.AddOrUpdate(path, 1, (_, n) => n + 1);
        _requests.Enqueue((path, new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value)), context.Request.Method));
        if (Clock is { } clock)
        {
            context.Response.Headers.Date = EdgeFleet.Http.HttpDate.Format(clock.GetUtcNow());
        }

        if (_handlers.TryGetValue(path, out var handler))
        {
            await handler(context);
        }
        else
        {
            context.Response.StatusCode = 404;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
