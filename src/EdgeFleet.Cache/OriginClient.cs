using System.Net;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace EdgeFleet.Cache;

/// <summary>
/// Sends requests to the origin through one resilience pipeline: a per-attempt timeout until the
/// response headers arrive, retries with exponential backoff and jitter for idempotent requests
/// that failed before any response (never for a response, whatever its status: the origin
/// answered), and a circuit breaker for the origin. Bodies are streamed, never buffered.
/// </summary>
internal sealed class OriginClient : IDisposable
{
    private static readonly ResiliencePropertyKey<bool> IdempotentKey = new("edgefleet.idempotent");

    private readonly HttpMessageInvoker _invoker;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly CacheMetrics _metrics;
    private readonly TimeProvider _time;

    public OriginClient(IOptions<CacheServerOptions> options, TimeProvider time, CacheMetrics metrics, Fleet.ShieldRoutingHandler? shields = null)
    {
        var o = options.Value;
        _time = time;
        _metrics = metrics;
        BaseUri = new Uri(o.Origin!.TrimEnd('/') + "/");
        HostHeader = string.IsNullOrEmpty(o.OriginHost) ? BaseUri.Authority : o.OriginHost;
        HttpMessageHandler handler = new SocketsHttpHandler
        {
            SslOptions = OriginTls.ClientOptions(o.OriginTls, BaseUri),
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = o.OriginConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            MaxResponseHeadersLength = 64,
            ActivityHeadersPropagator = null,
            ConnectCallback = IoThreads.ConnectAsync,
        };

        // Edge role with shields: GET and HEAD go to the key's shield instead (see ShieldRoutingHandler).
        if (shields is { IsActive: true })
        {
            shields.InnerHandler = handler;
            handler = shields;
        }

        _invoker = new HttpMessageInvoker(handler);

        var transient = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>();
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                // Retry only what the origin cannot have acted on twice in a way that matters:
                // idempotent requests that never got through (no connection) or got no answer in
                // time. A connection the origin closed mid-answer is its answer, not retried.
                ShouldHandle = args => args.Context.Properties.GetValue(IdempotentKey, false) &&
                    args.Outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } or TimeoutRejectedException
                    ? PredicateResult.True()
                    : PredicateResult.False(),
                MaxRetryAttempts = Math.Max(o.OriginRetries, 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(50),
                MaxDelay = TimeSpan.FromSeconds(2),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(5),
            })
            .AddTimeout(o.OriginReadTimeout)
            .Build();
        RetriesEnabled = o.OriginRetries > 0;
    }

    /// <summary>The origin's base URL.</summary>
    public Uri BaseUri { get; }

    /// <summary>The Host field sent to the origin.</summary>
    public string HostHeader { get; }

    private bool RetriesEnabled { get; }

    /// <summary>
    /// Sends a request built by <paramref name="build"/> (called once per attempt). The response
    /// is returned as soon as its headers arrive; the caller owns and disposes it.
    /// </summary>
    /// <exception cref="HttpRequestException">The origin could not be reached or answered garbage.</exception>
    /// <exception cref="TimeoutRejectedException">No response headers within the read timeout.</exception>
    /// <exception cref="BrokenCircuitException">The origin is failing; requests are not sent for a while.</exception>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, bool idempotent, string purpose, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(IdempotentKey, idempotent && RetriesEnabled);
        var started = _time.GetTimestamp();
        var result = "error";
        try
        {
            var response = await _pipeline.ExecuteAsync(
                static async (ctx, state) =>
                {
                    using var request = state.build();
                    return await state.self._invoker.SendAsync(request, ctx.CancellationToken);
                },
                context,
                (self: this, build));
            result = ((int)response.StatusCode / 100) + "xx";
            return response;
        }
        finally
        {
            _metrics.OriginRequest(purpose, result, _time.GetElapsedTime(started));
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>A short reason for a failed origin request, for logs and Cache-Status detail.</summary>
    public static (int Status, string Detail) Describe(Exception exception) => exception switch
    {
        TimeoutRejectedException => (504, "origin-timeout"),
        BrokenCircuitException => (503, "origin-circuit-open"),
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => (502, "origin-unreachable"),
        HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded } => (502, "origin-invalid-response"),
        HttpRequestException => (502, "origin-error"),
        _ => (502, "origin-error"),
    };

    public void Dispose() => _invoker.Dispose();
}
