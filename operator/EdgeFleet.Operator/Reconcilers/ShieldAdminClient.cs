using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeFleet.Api.V1Alpha1;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace EdgeFleet.Operator.Reconcilers;

/// <summary>
/// Speaks to the shield pods' admin API (docs/admin-api.md). Any shield accepts a fleet-wide
/// invalidation, so a failed pod is skipped for the next one; tries are spaced by a jittered
/// exponential backoff, and every request has its own timeout. Failures that another try might cure
/// end as <see cref="ShieldUnavailableException"/>, a refused body as <see cref="ShieldRejectedException"/>.
/// </summary>
internal sealed class ShieldAdminClient
{
    private const string InvalidationsPath = "admin/invalidations";

    private readonly HttpClient _http;
    private readonly TimeSpan _retryDelay;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _perRequest;

    public ShieldAdminClient(HttpClient http, TimeSpan timeout, TimeSpan retryDelay, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _retryDelay = retryDelay;
        _time = time;
        _perRequest = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(timeout).Build();
    }

    /// <summary><c>POST /admin/invalidations</c> on the first shield that takes it; answers the shield's id.</summary>
    public async Task<string> StartAsync(IReadOnlyList<Uri> shields, string token, InvalidationSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shields);
        ArgumentNullException.ThrowIfNull(spec);
        RequireShields(shields);
        var body = AdminApiRequest.PurgeBody(spec);
        var attempt = 0;
        return await Retry(shields.Count).ExecuteAsync(
            async token2 =>
            {
                var shield = shields[attempt++ % shields.Count];
                var (code, text) = await SendAsync(HttpMethod.Post, new Uri(shield, InvalidationsPath), token, body, token2);
                if (code is HttpStatusCode.Accepted or HttpStatusCode.OK or HttpStatusCode.Created)
                {
                    return (string?)Parse(text, shield)["id"] is { Length: > 0 } id
                        ? id
                        : throw new ShieldUnavailableException($"{shield.Authority} accepted the invalidation but gave no id");
                }

                throw code == HttpStatusCode.BadRequest
                    ? new ShieldRejectedException($"{shield.Authority} refused the invalidation: {AdminApiRequest.Trim(text)}")
                    : Unavailable(shield, code, text);
            },
            cancellationToken);
    }

    /// <summary>
    /// <c>GET /admin/invalidations/{id}</c> on each shield until one knows the id; null when every
    /// shield answered 404 (the one that took it restarted and forgot it).
    /// </summary>
    public async Task<ShieldProgress?> GetProgressAsync(IReadOnlyList<Uri> shields, string token, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shields);
        RequireShields(shields);
        return await Retry(1).ExecuteAsync<ShieldProgress?>(
            async token2 =>
            {
                var notFound = 0;
                Exception? failure = null;
                foreach (var shield in shields)
                {
                    try
                    {
                        var (code, text) = await SendAsync(HttpMethod.Get, new Uri(shield, $"{InvalidationsPath}/{Uri.EscapeDataString(id)}"), token, null, token2);
                        if (code == HttpStatusCode.OK)
                        {
                            var report = Parse(text, shield);
                            return new ShieldProgress(
                                (string?)report["id"] ?? id, Number(report["targeted"]), Number(report["acknowledged"]), Number(report["expired"]),
                                report["complete"] is JsonValue c && c.TryGetValue(out bool complete) && complete);
                        }

                        if (code == HttpStatusCode.NotFound)
                        {
                            notFound++;
                            continue;
                        }

                        failure = Unavailable(shield, code, text);
                    }
                    catch (ShieldUnavailableException e)
                    {
                        failure = e;
                    }
                }

                return notFound == shields.Count ? null : throw (failure ?? new ShieldUnavailableException("no shield answered"));
            },
            cancellationToken);
    }

    private static void RequireShields(IReadOnlyList<Uri> shields)
    {
        if (shields.Count == 0)
        {
            throw new ShieldRejectedException("the EdgeCache has no shield pods (spec.shield.replicas is 0)");
        }
    }

    // Each shield is tried twice before the failure is reported.
    private ResiliencePipeline Retry(int shields) => new ResiliencePipelineBuilder { TimeProvider = _time }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<ShieldUnavailableException>(),
            MaxRetryAttempts = Math.Max(1, (shields * 2) - 1),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _retryDelay,
            MaxDelay = TimeSpan.FromSeconds(10),
        })
        .Build();

    private async Task<(HttpStatusCode Code, string Text)> SendAsync(
        HttpMethod method, Uri uri, string token, string? body, CancellationToken cancellationToken)
    {
        try
        {
            return await AdminApiRequest.SendAsync(_http, _perRequest, method, uri, token, body, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ShieldUnavailableException($"{uri.Authority}: {e.Message}", e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new ShieldUnavailableException($"{uri.Authority}: no answer within {e.Timeout}", e);
        }
    }

    private static ShieldUnavailableException Unavailable(Uri shield, HttpStatusCode code, string text) =>
        new($"{shield.Authority} answered {(int)code} {code}: {AdminApiRequest.Trim(text)}");

    private static JsonObject Parse(string text, Uri shield)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new ShieldUnavailableException($"{shield.Authority} answered with something other than a JSON object");
        }
        catch (JsonException e)
        {
            throw new ShieldUnavailableException($"{shield.Authority} answered with invalid JSON: {e.Message}", e);
        }
    }

    private static long Number(JsonNode? node) => node is JsonValue v && v.TryGetValue(out long n) ? n : 0;
}
