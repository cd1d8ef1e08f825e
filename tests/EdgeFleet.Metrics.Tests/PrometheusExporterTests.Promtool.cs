using System.Diagnostics.Metrics;
using EdgeFleet.TestSupport;

namespace EdgeFleet.Metrics.Tests;

// The exporter's output for the instruments a cache pod publishes, checked by the linter Prometheus ships.
public sealed partial class PrometheusExporterTests
{
    [Fact]
    public async Task WriteTo_RealisticCacheInstruments_PromtoolReportsNoProblems()
    {
        var prefix = "EdgeFleetLint." + Guid.NewGuid().ToString("N");
        using var exporter = new PrometheusExporter(new PrometheusExporterOptions { MeterNamePrefix = prefix });
        using var meter = new Meter(prefix + ".Cache", null, [new("role", "edge")]);
        RecordRealisticTraffic(meter);

        var text = Scrape(exporter);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(text);

        Assert.True(exitCode == 0 && output.Length == 0, $"promtool exit {exitCode}:\n{output}\n--- input ---\n{text}");
        Assert.Contains("# TYPE edgefleet_origin_request_duration_seconds histogram", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteTo_BadlyNamedInstruments_PromtoolReportsThem()
    {
        // The control: proves the check above can fail, by naming instruments against the conventions.
        var prefix = "EdgeFleetLint." + Guid.NewGuid().ToString("N");
        using var exporter = new PrometheusExporter(new PrometheusExporterOptions { MeterNamePrefix = prefix });
        using var meter = new Meter(prefix);
        meter.CreateUpDownCounter<long>("edgefleet_open_connections_total", description: "Open.").Add(1);
        meter.CreateHistogram<double>("edgefleet_fetch_duration_milliseconds", description: "Fetch.").Record(3);
        meter.CreateCounter<long>("edgefleet_undocumented_total").Add(1);

        var (exitCode, output) = await Promtool.CheckMetricsAsync(Scrape(exporter));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("edgefleet_open_connections_total non-counter metrics should not have \"_total\" suffix", output, StringComparison.Ordinal);
        Assert.Contains("edgefleet_fetch_duration_milliseconds use base unit \"seconds\"", output, StringComparison.Ordinal);
        Assert.Contains("edgefleet_undocumented_total no help text", output, StringComparison.Ordinal);
    }

    private static void RecordRealisticTraffic(Meter meter)
    {
        var requests = meter.CreateCounter<long>(
            "edgefleet_cache_requests_total", description: "Client requests answered, by cache status and method.");
        var responseBytes = meter.CreateCounter<long>(
            "edgefleet_cache_response_bytes_total", unit: "By", description: "Body bytes sent to clients.");
        var fetches = meter.CreateCounter<long>(
            "edgefleet_origin_fetches_total", description: "Requests sent to the origin, by outcome.");
        var fetchDuration = meter.CreateHistogram<double>(
            "edgefleet_origin_request_duration_seconds", unit: "s", description: "Origin request latency, to the last body byte.");
        var objectSize = meter.CreateHistogram<long>(
            "edgefleet_cache_object_size_bytes", unit: "By", description: "Size of objects stored on fill.");
        var inflight = meter.CreateUpDownCounter<int>(
            "edgefleet_cache_inflight_requests", description: "Client requests being answered now.");
        var leases = meter.CreateUpDownCounter<long>(
            "edgefleet_leases_held", description: "Leases this edge holds from its shields.");
        var notices = meter.CreateCounter<long>(
            "edgefleet_notices_sent_total", description: "Update and invalidate notices sent to lease holders.");
        meter.CreateObservableGauge(
            "edgefleet_storage_used_bytes",
            () => new[]
            {
                new Measurement<long>(512L << 20, new KeyValuePair<string, object?>("tier", "memory")),
                new Measurement<long>(40L << 30, new KeyValuePair<string, object?>("tier", "disk")),
            },
            unit: "By",
            description: "Bytes held by each storage tier.");
        meter.CreateObservableCounter(
            "edgefleet_storage_evictions_total", () => 1234L, description: "Objects evicted to make room.");

        string[] statuses = ["hit", "miss", "stale", "revalidated"];
        string[] methods = ["GET", "HEAD"];
        for (var i = 0; i < 200; i++)
        {
            requests.Add(1, new("cache_status", statuses[i % statuses.Length]), new("method", methods[i % 2]));
            responseBytes.Add(1000 + i);
            fetches.Add(1, new KeyValuePair<string, object?>("outcome", i % 10 == 0 ? "error" : "ok"));
            fetchDuration.Record(i / 1000.0, new KeyValuePair<string, object?>("origin", "shop \"main\"\\eu\n"));
            objectSize.Record(1L << (i % 24));
            inflight.Add(i % 2 == 0 ? 1 : -1);
            leases.Add(1);
            notices.Add(1, new KeyValuePair<string, object?>("kind", i % 3 == 0 ? "update" : "invalidate"));
        }
    }
}
