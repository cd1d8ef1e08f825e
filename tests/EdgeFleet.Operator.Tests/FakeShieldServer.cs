using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EdgeFleet.Operator.Tests;

/// <summary>
/// A shield pod's admin API on real Kestrel (127.0.0.1, ephemeral port) with the two invalidation
/// endpoints of docs/admin-api.md: it checks the bearer token, counts calls, keeps the bodies it
/// accepted, and reports progress that the test sets.
/// </summary>
internal sealed class FakeShieldServer : IAsyncDisposable
{
    private WebApplication _app = null!;
    private readonly ConcurrentDictionary<string, JsonObject> _accepted = new(StringComparer.Ordinal);
    private int _posts;
    private int _gets;
    private int _unauthorized;
    private int _nextId;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The token the shield accepts; null accepts none (every call is 401).</summary>
    public string? Token { get; set; }

    /// <summary>While set, every call answers this status (e.g. 503) without doing anything.</summary>
    public HttpStatusCode? FailWith { get; set; }

    public long Targeted { get; set; } = 5;

    public long Acknowledged { get; set; }

    public long Expired { get; set; }

    public bool Complete { get; set; }

    public int Posts => Volatile.Read(ref _posts);

    public int Gets => Volatile.Read(ref _gets);

    public int Unauthorized => Volatile.Read(ref _unauthorized);

    /// <summary>Accepted invalidation bodies by the id the shield gave them.</summary>
    public IReadOnlyDictionary<string, JsonObject> Accepted => _accepted;

    public static async Task<FakeShieldServer> StartAsync()
    {
        var shield = new FakeShieldServer();
        (shield._app, shield.BaseAddress) = await Loopback.StartAsync(shield.HandleAsync);
        return shield;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        if (request.Method == "POST" && path == "/admin/invalidations")
        {
            Interlocked.Increment(ref _posts);
        }
        else if (request.Method == "GET" && path.StartsWith("/admin/invalidations/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _gets);
        }
        else
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (FailWith is { } failure)
        {
            context.Response.StatusCode = (int)failure;
            await context.Response.WriteAsync("injected failure");
            return;
        }

        if (Token is null || request.Headers.Authorization.ToString() != "Bearer " + Token)
        {
            Interlocked.Increment(ref _unauthorized);
            context.Response.StatusCode = 401;
            return;
        }

        if (request.Method == "POST")
        {
            var body = await JsonNode.ParseAsync(request.Body) as JsonObject;
            if (body is null || body["soft"] is not JsonValue)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("soft: required");
                return;
            }

            var id = "inv-" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _accepted[id] = body;
            context.Response.StatusCode = 202;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["id"] = id });
            return;
        }

        var wanted = path["/admin/invalidations/".Length..];
        if (!_accepted.ContainsKey(wanted))
        {
            context.Response.StatusCode = 404;
            return;
        }

        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["id"] = wanted,
            ["targeted"] = Targeted,
            ["acknowledged"] = Acknowledged,
            ["expired"] = Expired,
            ["complete"] = Complete,
            ["durationMs"] = 12,
        });
    }
}
