using System.Text.Json;
using EdgeFleet.Metrics;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache;

/// <summary>
/// The admin port: health, readiness, drain and the purge API. Never reachable from the public
/// port (the branch is chosen by the local port of the connection, not by any request field).
/// </summary>
internal static class AdminEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = false,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static void Map(IEndpointRouteBuilder admin)
    {
        admin.MapGet("/metrics", async (HttpContext context, PrometheusExporter exporter) =>
        {
            context.Response.ContentType = PrometheusExporter.ContentType;
            exporter.WriteTo(context.Response.BodyWriter);
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
        });
        admin.MapGet("/healthz", () => Results.Text("ok\n"));
        admin.MapGet("/readyz", (Readiness readiness) => readiness.IsReady
            ? Results.Text(readiness.Detail + "\n")
            : Results.Text(readiness.Detail + "\n", statusCode: 503));

        // preStop hook: leave the DNS answer and wait out the TTL while still serving.
        admin.MapGet("/drain", async (DrainService drain, CancellationToken cancellationToken) =>
        {
            await drain.DrainAsync(cancellationToken);
            return Results.Text("drained\n");
        });

        admin.MapPost("/admin/purge", async (HttpContext context, PurgeService purge, IOptions<CacheServerOptions> options) =>
        {
            if (!Authorized(context, options.Value.AdminToken))
            {
                return Results.Json(new { error = "missing or wrong bearer credential" }, statusCode: 401);
            }

            PurgeRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync<PurgeRequest>(context.Request.Body, Json, context.RequestAborted);
            }
            catch (JsonException ex)
            {
                return Results.Json(new { error = $"invalid JSON: {ex.Message}" }, statusCode: 400);
            }

            if (PurgeService.Validate(request) is { } problem)
            {
                return Results.Json(new { error = problem }, statusCode: 400);
            }

            var count = purge.Purge(request!);
            return Results.Json(new { purged = count, soft = request!.Soft });
        });
    }

    /// <summary>Checks <c>Authorization: Bearer &lt;token&gt;</c> in constant time.</summary>
    public static bool Authorized(HttpContext context, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string Prefix = "Bearer ";
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = System.Text.Encoding.UTF8.GetBytes(header[Prefix.Length..].Trim());
        var expected = System.Text.Encoding.UTF8.GetBytes(token);
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
