namespace EdgeFleet.Kubernetes;

/// <summary>Timeouts and retry policy of <see cref="KubernetesClient"/>.</summary>
public sealed record KubernetesClientOptions
{
    /// <summary>Limit of one attempt of a request (for a watch: until the response headers arrive).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A watch with no line (event or bookmark) for this long beyond its timeoutSeconds is treated as dead.</summary>
    public TimeSpan WatchIdleSlack { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt for a retryable failure.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First backoff delay; doubles each retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Upper bound on a server's Retry-After, so a confused server cannot park a reconciler.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    public string UserAgent { get; init; } = "edgefleet/0.1";

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the client's counters go; null uses the shared <c>EdgeFleet.Kubernetes</c> meter.</summary>
    public System.Diagnostics.Metrics.Meter? Meter { get; init; }
}
