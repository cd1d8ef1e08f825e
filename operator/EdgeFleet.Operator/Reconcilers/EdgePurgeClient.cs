using System.Net;
using EdgeFleet.Api.V1Alpha1;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace EdgeFleet.Operator.Reconcilers;

/// <summary>
/// Purges one edge pod through its admin API (<c>POST /admin/purge</c>, docs/admin-api.md), for an
/// EdgeCache without a shield tier. Every request has its own timeout; transient failures are tried
/// again after a jittered exponential backoff, then reported as <see cref="EdgePurgeResult.Unreachable"/>.
/// </summary>
internal sealed class EdgePurgeClient
{
    private const string PurgePath = "admin/purge";
    private const int Tries = 3;

    private readonly HttpClient _http;
    private readonly ResiliencePipeline _perRequest;
    private readonly ResiliencePipeline<EdgePurgeOutcome> _retry;

    public EdgePurgeClient(HttpClient http, TimeSpan timeout, TimeSpan retryDelay, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _perRequest = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(timeout).Build();
        _retry = new ResiliencePipelineBuilder<EdgePurgeOutcome> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<EdgePurgeOutcome>
            {
                ShouldHandle = new PredicateBuilder<EdgePurgeOutcome>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(o => o.Result == EdgePurgeResult.Unreachable),
                MaxRetryAttempts = Tries - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retryDelay,
                MaxDelay = TimeSpan.FromSeconds(10),
            })
            .Build();
    }

    public async Task<EdgePurgeOutcome> PurgeAsync(EdgePod pod, string token, InvalidationSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var body = AdminApiRequest.PurgeBody(spec);
        var uri = new Uri(pod.AdminUri, PurgePath);
        try
        {
            return await _retry.ExecuteAsync(
                async attemptToken =>
                {
                    var (code, text) = await AdminApiRequest.SendAsync(_http, _perRequest, HttpMethod.Post, uri, token, body, attemptToken);
                    return code switch
                    {
                        HttpStatusCode.OK => new EdgePurgeOutcome(pod, EdgePurgeResult.Purged, "purged"),
                        HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized => new EdgePurgeOutcome(
                            pod, EdgePurgeResult.Rejected, $"{pod.Name} refused the purge: {(int)code} {code}: {AdminApiRequest.Trim(text)}"),
                        _ => new EdgePurgeOutcome(pod, EdgePurgeResult.Unreachable, $"{pod.Name} answered {(int)code} {code}: {AdminApiRequest.Trim(text)}"),
                    };
                },
                cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return new EdgePurgeOutcome(pod, EdgePurgeResult.Unreachable, $"{pod.Name}: {e.Message}");
        }
        catch (TimeoutRejectedException e)
        {
            return new EdgePurgeOutcome(pod, EdgePurgeResult.Unreachable, $"{pod.Name}: no answer within {e.Timeout}");
        }
    }
}
