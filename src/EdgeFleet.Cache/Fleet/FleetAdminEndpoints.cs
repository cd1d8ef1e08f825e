using System.Text.Json;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// The fleet's admin endpoints (admin port only). Shield: invalidations, origin notifications,
/// edge registration and the notice log. Edge: notices. Both: <c>/admin/fleet</c>, a status.
/// Every call needs the admin credential except origin notifications, which carry the origin's.
/// </summary>
internal static class FleetAdminEndpoints
{
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly JsonSerializerOptions Lenient = new(JsonSerializerDefaults.Web);

    public static void Map(IEndpointRouteBuilder admin)
    {
        admin.MapPost("/admin/notices", async (HttpContext context, EdgeNoticeApplier applier, IOptions<FleetOptions> fleet, IOptions<CacheServerOptions> options) =>
        {
            if (!FleetAuthorized(context, options.Value.AdminToken))
            {
                return Unauthorized();
            }

            if (fleet.Value.IsShield)
            {
                return Results.Json(new { error = "notices go to edges; this pod is a shield" }, statusCode: 404);
            }

            var (batch, problem) = await ReadAsync<NoticeBatch>(context, Strict);
            problem ??= NoticeBatch.Validate(batch);
            if (problem is not null)
            {
                return Results.Json(new { error = problem }, statusCode: 400);
            }

            var applied = applier.Apply(batch!);
            return Results.Json(new { acked = batch!.Notices.Count > 0 ? batch.Notices[^1].Seq : 0, applied });
        });

        admin.MapGet("/admin/notices", (HttpContext context, long? since, string? edge, NoticeLog log, IOptions<CacheServerOptions> options, FleetIdentity identity) =>
        {
            if (!FleetAuthorized(context, options.Value.AdminToken))
            {
                return Unauthorized();
            }

            if (since is null or < 0 || string.IsNullOrEmpty(edge))
            {
                return Results.Json(new { error = "since (a sequence number) and edge (an edge id) are required" }, statusCode: 400);
            }

            return log.Since(since.Value, edge) is { } notices
                ? Results.Json(new NoticeBatch { Shield = identity.Id, Epoch = log.Epoch, Notices = notices }, Lenient)
                : Results.Json(new { error = "the notice log no longer reaches back to that sequence number" }, statusCode: 410);
        });

        admin.MapPost("/admin/fleet/edges", async (HttpContext context, EdgeRegistry edges, NoticeLog log, FleetIdentity identity, IOptions<CacheServerOptions> options) =>
        {
            if (!FleetAuthorized(context, options.Value.AdminToken))
            {
                return Unauthorized();
            }

            var (hello, problem) = await ReadAsync<EdgeHello>(context, Strict);
            if (problem is null && (string.IsNullOrWhiteSpace(hello!.Edge) || !Uri.TryCreate(hello.Notify, UriKind.Absolute, out _)))
            {
                problem = "edge (an id) and notify (the edge's admin URL) are required";
            }

            if (problem is not null)
            {
                return Results.Json(new { error = problem }, statusCode: 400);
            }

            edges.Register(hello!.Edge, hello.Notify);
            return Results.Json(new ShieldHello(identity.Id, log.Epoch, log.LastSeq), Lenient);
        });

        admin.MapPost("/admin/invalidations", async (HttpContext context, InvalidationService invalidations, IOptions<FleetOptions> fleet, IOptions<CacheServerOptions> options) =>
        {
            if (!FleetAuthorized(context, options.Value.AdminToken))
            {
                return Unauthorized();
            }

            if (!fleet.Value.IsShield)
            {
                return Results.Json(new { error = "invalidations go to a shield; use /admin/purge on an edge" }, statusCode: 404);
            }

            var (request, problem) = await ReadAsync<PurgeRequest>(context, Strict);
            problem ??= PurgeService.Validate(request);
            if (problem is not null)
            {
                return Results.Json(new { error = problem }, statusCode: 400);
            }

            var forwarded = context.Request.Headers[FleetHeaders.ForwardedInvalidation].ToString();
            var invalidation = invalidations.Start(request!, forwarded.Length > 0 ? forwarded : null);
            return Results.Json(new { id = invalidation.Id }, statusCode: 202);
        });

        admin.MapGet("/admin/invalidations/{id}", async (HttpContext context, string id, InvalidationService invalidations, IOptions<CacheServerOptions> options) =>
        {
            if (!FleetAuthorized(context, options.Value.AdminToken))
            {
                return Unauthorized();
            }

            var localOnly = context.Request.Headers.ContainsKey(FleetHeaders.ForwardedInvalidation);
            return await invalidations.StatusAsync(id, localOnly, context.RequestAborted) is { } status
                ? Results.Json(status, Lenient)
                : Results.Json(new { error = $"no invalidation {id}" }, statusCode: 404);
        });

        admin.MapPost("/admin/origin-notify", async (HttpContext context, InvalidationService invalidations, OriginNotificationToken token, IOptions<FleetOptions> fleet) =>
        {
            if (!fleet.Value.IsShield)
            {
                return Results.Json(new { error = "origin notifications go to a shield" }, statusCode: 404);
            }

            var header = context.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || !FleetHeaders.CredentialMatches(header[7..].Trim(), token.Value))
            {
                return Unauthorized();
            }

            var (request, problem) = await ReadAsync<PurgeRequest>(context, Strict);
            if (problem is null && (request is null || request.Urls.Count == 0 || request.Prefixes.Count + request.Tags.Count > 0))
            {
                problem = "an origin notification carries urls (and only urls)";
            }

            problem ??= PurgeService.Validate(request);
            if (problem is not null)
            {
                return Results.Json(new { error = problem }, statusCode: 400);
            }

            return Results.Json(new { id = invalidations.Start(request!, null).Id }, statusCode: 202);
        });

        admin.MapGet("/admin/fleet", (HttpContext context, IServiceProvider services) =>
        {
            if (!FleetAuthorized(context, services.GetRequiredService<IOptions<CacheServerOptions>>().Value.AdminToken))
            {
                return Unauthorized();
            }

            return Results.Json(FleetStatus.Of(services), Lenient);
        });
    }

    /// <summary>The admin credential is required between pods, even when the admin API has none configured.</summary>
    private static bool FleetAuthorized(HttpContext context, string? token) =>
        !string.IsNullOrEmpty(token) && AdminEndpoints.Authorized(context, token);

    private static IResult Unauthorized() => Results.Json(new { error = "missing or wrong bearer credential" }, statusCode: 401);

    private static async Task<(T? Value, string? Problem)> ReadAsync<T>(HttpContext context, JsonSerializerOptions options)
        where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, options, context.RequestAborted);
            return value is null ? (null, "body must be a JSON object") : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, $"invalid JSON: {ex.Message}");
        }
    }
}
