using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EdgeFleet.Operator.Tests;

/// <summary>
/// An edge pod's admin API on real Kestrel (127.0.0.1, ephemeral port) with <c>POST /admin/purge</c>
/// of docs/admin-api.md: it checks the bearer token, keeps the bodies it purged, and can drop every
/// connection to play a pod that cannot be reached.
/// </summary>
internal sealed class FakeEdgeServer : IAsyncDisposable
{
    private WebApplication _app = null!;
    private readonly ConcurrentQueue<JsonObject> _purged = new();
    private int _attempts;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The token the pod accepts; null accepts none (every call is 401).</summary>
    public string? Token { get; set; }

    /// <summary>While true, every connection is aborted before an answer, as by a pod that is gone.</summary>
    public bool Down { get; set; }

    /// <summary>Purge requests that arrived, answered or not.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Bodies of the purges answered 200, in order.</summary>
    public IReadOnlyList<JsonObject> Purged => [.. _purged];

    /// <summary>The bearer credential of the last request.</summary>
    public string? LastAuthorization { get; private set; }

    public static async Task<FakeEdgeServer> StartAsync()
    {
        var edge = new FakeEdgeServer();
        (edge._app, edge.BaseAddress) = await Loopback.StartAsync(edge.HandleAsync);
        return edge;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Method != "POST" || request.Path.Value != "/admin/purge")
        {
            context.Response.StatusCode = 404;
            return;
        }

        Interlocked.Increment(ref _attempts);
        if (Down)
        {
            context.Abort();
            return;
        }

        LastAuthorization = request.Headers.Authorization.ToString();
        if (Token is null || LastAuthorization != "Bearer " + Token)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = "missing or wrong bearer credential" });
            return;
        }

        if (await JsonNode.ParseAsync(request.Body) is not JsonObject body || body["soft"] is not JsonValue soft)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = "soft: required" });
            return;
        }

        _purged.Enqueue(body);
        await context.Response.WriteAsJsonAsync(new JsonObject { ["purged"] = 3, ["soft"] = soft.GetValue<bool>() });
    }
}
