using System.Diagnostics.Metrics;

namespace EdgeFleet.Kubernetes;

/// <summary>
/// The client's instruments, on the <c>EdgeFleet.Kubernetes</c> meter unless the options name
/// another: every attempt by method and status code, and every retry by reason.
/// </summary>
internal sealed class KubernetesClientMetrics
{
    /// <summary>The meter name an exporter subscribes to.</summary>
    public const string MeterName = "EdgeFleet.Kubernetes";

    private static readonly Meter SharedMeter = new(MeterName);

    public KubernetesClientMetrics(Meter? meter)
    {
        meter ??= SharedMeter;
        Requests = meter.CreateCounter<long>(
            "edgefleet_kubernetes_requests_total", description: "API server request attempts by method and HTTP status code (0: no response)");
        Retries = meter.CreateCounter<long>(
            "edgefleet_kubernetes_retries_total", description: "API server requests retried, by method and the status code or error that caused it");
    }

    public Counter<long> Requests { get; }

    public Counter<long> Retries { get; }
}
