using System.Diagnostics.Metrics;
using EdgeFleet.Storage;

namespace EdgeFleet.Cache;

/// <summary>
/// The cache server's instruments. Names are the Prometheus family names
/// (<c>edgefleet_&lt;subsystem&gt;_&lt;name&gt;_&lt;unit&gt;</c>), exported on the admin port's <c>/metrics</c>.
/// </summary>
internal sealed class CacheMetrics
{
    public const string MeterName = "EdgeFleet.Cache";

    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter<long> _requests;
    private readonly Counter<long> _responseBytes;
    private readonly Counter<long> _originRequests;
    private readonly Histogram<double> _originDuration;
    private readonly Counter<long> _collapsed;
    private readonly Counter<long> _purged;
    private readonly Counter<long> _rejected;

    public CacheMetrics(IMeterFactory meterFactory, IObjectStore store)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("edgefleet_cache_requests_total", description: "Client requests by cache outcome (hit, miss, stale, revalidated, pass, error).");
        _responseBytes = meter.CreateCounter<long>("edgefleet_cache_response_bytes_total", "bytes", "Body bytes sent to clients, by cache outcome.");
        _originRequests = meter.CreateCounter<long>("edgefleet_origin_requests_total", description: "Requests sent to the origin, by purpose and result.");
        _originDuration = meter.CreateHistogram(
            "edgefleet_origin_request_duration_seconds",
            "seconds",
            "Time from sending a request to the origin until its response headers arrived.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _collapsed = meter.CreateCounter<long>("edgefleet_cache_collapsed_requests_total", description: "Requests that waited for another request's origin fetch instead of sending their own.");
        _purged = meter.CreateCounter<long>("edgefleet_cache_purged_objects_total", description: "Objects removed (hard) or marked stale (soft) by purges.");
        _rejected = meter.CreateCounter<long>("edgefleet_cache_rejected_requests_total", description: "Client requests refused before reaching the cache, by reason.");
        meter.CreateObservableGauge("edgefleet_storage_objects", () => store.Count, description: "Objects in the memory tier.");
        meter.CreateObservableGauge("edgefleet_storage_bytes", () => store.Bytes, "bytes", "Bytes charged against the memory tier's budget.");
        meter.CreateObservableGauge("edgefleet_storage_capacity_bytes", () => store.Capacity, "bytes", "The memory tier's budget.");
        meter.CreateObservableCounter("edgefleet_storage_evictions_total", () => store.Evictions, description: "Objects evicted from the memory tier to make room.");
        var memory = store as MemoryObjectStore ?? (store as TieredObjectStore)?.Memory as MemoryObjectStore;
        meter.CreateObservableGauge("edgefleet_storage_memory_files", () => memory?.Files ?? 0, description: "Objects of the memory tier whose bodies are in-memory files, sent with sendfile.");
    }

    public void Request(string outcome, long bytes)
    {
        var tag = new KeyValuePair<string, object?>("cache_status", outcome);
        _requests.Add(1, tag);
        if (bytes > 0)
        {
            _responseBytes.Add(bytes, tag);
        }
    }

    public void OriginRequest(string purpose, string result, TimeSpan duration)
    {
        _originRequests.Add(1, new("purpose", purpose), new("result", result));
        _originDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("purpose", purpose));
    }

    public void Collapsed() => _collapsed.Add(1);

    public void Purged(long count, bool soft) =>
        _purged.Add(count, new KeyValuePair<string, object?>("mode", soft ? "soft" : "hard"));

    public void Rejected(string reason) =>
        _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
