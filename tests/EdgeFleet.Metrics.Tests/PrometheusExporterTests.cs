using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text;

namespace EdgeFleet.Metrics.Tests;

public sealed partial class PrometheusExporterTests : IDisposable
{
    // MeterListener sees every meter in the process and test classes run in parallel, so each test
    // exports only its own uniquely named meter.
    private readonly string _prefix = "EdgeFleetTest." + Guid.NewGuid().ToString("N");
    private readonly Meter _meter;
    private readonly PrometheusExporter _exporter;

    public PrometheusExporterTests()
    {
        _meter = new Meter(_prefix);
        _exporter = new PrometheusExporter(new PrometheusExporterOptions { MeterNamePrefix = _prefix });
    }

    public void Dispose()
    {
        _exporter.Dispose();
        _meter.Dispose();
    }

    private static string Scrape(PrometheusExporter exporter)
    {
        using var writer = new StringWriter();
        exporter.WriteTo(writer);
        return writer.ToString();
    }

    [Fact]
    public void WriteTo_CounterWithLabels_WritesOneFamilyWithEscapedValues()
    {
        var requests = _meter.CreateCounter<long>(
            "edgefleet_cache_requests_total", description: "Requests served, by \"cache status\".\nSee \\docs.");
        requests.Add(3, new("status", "hit"), new("role", "edge"));
        requests.Add(2, new("role", "edge"), new("status", "hit"));
        requests.Add(1, new("status", "miss"), new("role", "edge"));
        requests.Add(4, new("status", "odd \"value\"\\ with\nnewline"), new("role", "edge"));

        const string Expected = """
            # HELP edgefleet_cache_requests_total Requests served, by "cache status".\nSee \\docs.
            # TYPE edgefleet_cache_requests_total counter
            edgefleet_cache_requests_total{role="edge",status="hit"} 5
            edgefleet_cache_requests_total{role="edge",status="miss"} 1
            edgefleet_cache_requests_total{role="edge",status="odd \"value\"\\ with\nnewline"} 4

            """;
        Assert.Equal(Expected, Scrape(_exporter));
    }

    [Fact]
    public void WriteTo_CounterNamedWithoutTotalAndInvalidCharacters_SanitizesAndAppendsTotal()
    {
        var fills = _meter.CreateCounter<double>("edgefleet.cache-fills", description: "Fills.");
        fills.Add(1.5, new KeyValuePair<string, object?>("http.request.method", "GET"));
        fills.Add(1, new KeyValuePair<string, object?>("http.request.method", "GET"));
        var noTags = _meter.CreateCounter<int>("9lives");
        noTags.Add(7);

        const string Expected = """
            # TYPE _9lives_total counter
            _9lives_total 7
            # HELP edgefleet_cache_fills_total Fills.
            # TYPE edgefleet_cache_fills_total counter
            edgefleet_cache_fills_total{http_request_method="GET"} 2.5

            """;
        Assert.Equal(Expected, Scrape(_exporter));
    }

    [Fact]
    public void WriteTo_UpDownCounterAndGauge_WritesGauges()
    {
        var inflight = _meter.CreateUpDownCounter<int>("edgefleet_cache_inflight_requests", description: "In flight.");
        inflight.Add(5);
        inflight.Add(-3);
        var temperature = _meter.CreateGauge<double>("edgefleet_node_temperature_celsius", description: "Heat.");
        temperature.Record(40, new KeyValuePair<string, object?>("zone", 1));
        temperature.Record(-2.25, new KeyValuePair<string, object?>("zone", 1));
        temperature.Record(3, new KeyValuePair<string, object?>("zone", 2));

        const string Expected = """
            # HELP edgefleet_cache_inflight_requests In flight.
            # TYPE edgefleet_cache_inflight_requests gauge
            edgefleet_cache_inflight_requests 2
            # HELP edgefleet_node_temperature_celsius Heat.
            # TYPE edgefleet_node_temperature_celsius gauge
            edgefleet_node_temperature_celsius{zone="1"} -2.25
            edgefleet_node_temperature_celsius{zone="2"} 3

            """;
        Assert.Equal(Expected, Scrape(_exporter));
    }

    [Fact]
    public void WriteTo_HistogramWithAdvice_WritesCumulativeBucketsSumAndCount()
    {
        var duration = _meter.CreateHistogram(
            "edgefleet_origin_request_duration_seconds",
            unit: "s",
            description: "Origin request latency.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1] });
        KeyValuePair<string, object?> origin = new("origin", "a\"b");
        duration.Record(0.25, origin);
        duration.Record(0.5, origin);
        duration.Record(0.75, origin);
        duration.Record(4, origin);
        duration.Record(0.125);

        const string Expected = """
            # HELP edgefleet_origin_request_duration_seconds Origin request latency.
            # TYPE edgefleet_origin_request_duration_seconds histogram
            edgefleet_origin_request_duration_seconds_bucket{le="0.5"} 1
            edgefleet_origin_request_duration_seconds_bucket{le="1"} 1
            edgefleet_origin_request_duration_seconds_bucket{le="+Inf"} 1
            edgefleet_origin_request_duration_seconds_sum 0.125
            edgefleet_origin_request_duration_seconds_count 1
            edgefleet_origin_request_duration_seconds_bucket{origin="a\"b",le="0.5"} 2
            edgefleet_origin_request_duration_seconds_bucket{origin="a\"b",le="1"} 3
            edgefleet_origin_request_duration_seconds_bucket{origin="a\"b",le="+Inf"} 4
            edgefleet_origin_request_duration_seconds_sum{origin="a\"b"} 5.5
            edgefleet_origin_request_duration_seconds_count{origin="a\"b"} 4

            """;
        Assert.Equal(Expected, Scrape(_exporter));
    }

    [Fact]
    public void WriteTo_HistogramsWithoutAdvice_UseDefaultsForSecondsAndBytes()
    {
        _meter.CreateHistogram<double>("edgefleet_fetch_duration_seconds", unit: "s").Record(0.0004);
        _meter.CreateHistogram<long>("edgefleet_cache_object_size", unit: "By").Record(2_000_000_000);
        _meter.CreateHistogram<int>("edgefleet_batch_size").Record(6);

        var text = Scrape(_exporter);

        Assert.Contains("edgefleet_fetch_duration_seconds_bucket{le=\"0.0005\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("edgefleet_fetch_duration_seconds_bucket{le=\"30\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("edgefleet_cache_object_size_bucket{le=\"256\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("edgefleet_cache_object_size_bucket{le=\"1073741824\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("edgefleet_cache_object_size_bucket{le=\"+Inf\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("edgefleet_cache_object_size_sum 2000000000\n", text, StringComparison.Ordinal);
        Assert.Contains("edgefleet_batch_size_bucket{le=\"5\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("edgefleet_batch_size_bucket{le=\"10\"} 1\n", text, StringComparison.Ordinal);
        Assert.Equal(16, CountLines(text, "edgefleet_fetch_duration_seconds_bucket"));
        Assert.Equal(13, CountLines(text, "edgefleet_cache_object_size_bucket"));
    }

    [Fact]
    public void WriteTo_HistogramTaggedLe_RenamesTheTagSoLeStaysUnique()
    {
        var histogram = _meter.CreateHistogram(
            "edgefleet_things", advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1] });
        histogram.Record(1, new KeyValuePair<string, object?>("le", "mine"));

        Assert.Contains(
            "edgefleet_things_bucket{exported_le=\"mine\",le=\"1\"} 1\n", Scrape(_exporter), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_ConcurrentIncrements_AddUpExactly()
    {
        var hits = _meter.CreateCounter<long>("edgefleet_hits_total");
        var bytes = _meter.CreateCounter<double>("edgefleet_bytes_total");
        var sizes = _meter.CreateHistogram(
            "edgefleet_sizes", advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [10] });
        const int Threads = 4;
        const int PerThread = 50_000;

        var workers = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                // Alternate tag order and values so series are found by set, not by position.
                if (i % 2 == 0)
                {
                    hits.Add(1, new("status", "hit"), new("role", "edge"));
                }
                else
                {
                    hits.Add(1, new("role", "edge"), new("status", i % 3 == 0 ? "miss" : "hit"));
                }

                bytes.Add(0.5);
                sizes.Record(i % 20);
            }
        })).ToArray();
        await Task.WhenAll(workers);

        var text = Scrape(_exporter);
        var misses = Threads * Enumerable.Range(0, PerThread).Count(i => i % 2 == 1 && i % 3 == 0);
        Assert.Contains($"edgefleet_hits_total{{role=\"edge\",status=\"hit\"}} {(Threads * PerThread) - misses}\n", text, StringComparison.Ordinal);
        Assert.Contains($"edgefleet_hits_total{{role=\"edge\",status=\"miss\"}} {misses}\n", text, StringComparison.Ordinal);
        Assert.Contains($"edgefleet_bytes_total {Threads * PerThread / 2}\n", text, StringComparison.Ordinal);
        Assert.Contains($"edgefleet_sizes_bucket{{le=\"10\"}} {Threads * PerThread * 11 / 20}\n", text, StringComparison.Ordinal);
        Assert.Contains($"edgefleet_sizes_count {Threads * PerThread}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteTo_ObservableInstruments_AreReadAtEachScrape()
    {
        var used = 100L;
        var reads = 0;
        _meter.CreateObservableGauge(
            "edgefleet_storage_used_bytes",
            () =>
            {
                reads++;
                return new[]
                {
                    new Measurement<long>(used, new KeyValuePair<string, object?>("tier", "memory")),
                    new Measurement<long>(used * 10, new KeyValuePair<string, object?>("tier", "disk")),
                };
            },
            unit: "By",
            description: "Bytes stored.");
        _meter.CreateObservableCounter("edgefleet_storage_evictions", () => used / 10, description: "Evictions.");
        _meter.CreateObservableUpDownCounter("edgefleet_leases_held", () => (int)(used / 100), description: "Leases.");

        var first = Scrape(_exporter);
        used = 500;
        var second = Scrape(_exporter);

        Assert.Equal(2, reads);
        Assert.Contains("edgefleet_storage_used_bytes{tier=\"disk\"} 1000\n", first, StringComparison.Ordinal);
        const string Expected = """
            # HELP edgefleet_leases_held Leases.
            # TYPE edgefleet_leases_held gauge
            edgefleet_leases_held 5
            # HELP edgefleet_storage_evictions_total Evictions.
            # TYPE edgefleet_storage_evictions_total counter
            edgefleet_storage_evictions_total 50
            # HELP edgefleet_storage_used_bytes Bytes stored.
            # TYPE edgefleet_storage_used_bytes gauge
            edgefleet_storage_used_bytes{tier="disk"} 5000
            edgefleet_storage_used_bytes{tier="memory"} 500

            """;
        Assert.Equal(Expected, second);
    }

    [Fact]
    public void WriteTo_ObservableSeriesNoLongerReported_LeavesTheOutput()
    {
        var origins = new List<string> { "a", "b" };
        _meter.CreateObservableGauge(
            "edgefleet_origin_up",
            () => origins.Select(o => new Measurement<int>(1, new KeyValuePair<string, object?>("origin", o))));

        var before = Scrape(_exporter);
        origins.Remove("a");
        var after = Scrape(_exporter);

        Assert.Contains("edgefleet_origin_up{origin=\"a\"} 1\n", before, StringComparison.Ordinal);
        Assert.DoesNotContain("origin=\"a\"", after, StringComparison.Ordinal);
        Assert.Contains("edgefleet_origin_up{origin=\"b\"} 1\n", after, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteTo_ObservableCallbackThrows_ReportsFailureAndExportsTheOthers()
    {
        var failures = new List<Exception>();
        using var exporter = new PrometheusExporter(new PrometheusExporterOptions
        {
            MeterNamePrefix = _prefix,
            ObservableCallbackFailed = failures.Add,
        });
        Func<int> broken = () => throw new InvalidOperationException("boom");
        _meter.CreateObservableGauge("edgefleet_broken", broken);
        _meter.CreateObservableGauge("edgefleet_fine", () => 7);

        var text = Scrape(exporter);

        Assert.Contains("edgefleet_fine 7\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("edgefleet_broken", text, StringComparison.Ordinal);
        var failure = Assert.IsType<AggregateException>(Assert.Single(failures));
        Assert.Equal("boom", Assert.Single(failure.InnerExceptions).Message);
    }

    [Fact]
    public void WriteTo_InstrumentsCreatedInAnyOrder_SortsFamiliesAndSeriesOnce()
    {
        var zeta = _meter.CreateCounter<long>("edgefleet_zeta_total", description: "Zeta.");
        var alpha = _meter.CreateUpDownCounter<long>("edgefleet_alpha", description: "Alpha.");
        for (var i = 9; i >= 0; i--)
        {
            zeta.Add(i, new KeyValuePair<string, object?>("shard", i));
            alpha.Add(i, new KeyValuePair<string, object?>("shard", i));
        }

        var lines = Scrape(_exporter).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(24, lines.Length);
        Assert.Equal("# HELP edgefleet_alpha Alpha.", lines[0]);
        Assert.Equal("# TYPE edgefleet_alpha gauge", lines[1]);
        Assert.Equal("edgefleet_alpha{shard=\"0\"} 0", lines[2]);
        Assert.Equal("edgefleet_alpha{shard=\"9\"} 9", lines[11]);
        Assert.Equal("# HELP edgefleet_zeta_total Zeta.", lines[12]);
        Assert.Single(lines, l => l.StartsWith("# TYPE edgefleet_zeta_total", StringComparison.Ordinal));
        Assert.Equal(Scrape(_exporter), Scrape(_exporter));
    }

    [Fact]
    public void WriteTo_MeterOutsidePrefix_IsNotExported()
    {
        using var other = new Meter("Other." + _prefix);
        other.CreateCounter<long>("edgefleet_other_total").Add(1);
        _meter.CreateCounter<long>("edgefleet_mine_total").Add(1);

        var text = Scrape(_exporter);

        Assert.DoesNotContain("edgefleet_other_total", text, StringComparison.Ordinal);
        Assert.Contains("edgefleet_mine_total 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteTo_SameMeterCreatedTwice_MergesSeriesOfOneFamily()
    {
        using (var first = new Meter(_prefix + ".Cache"))
        {
            first.CreateCounter<long>("edgefleet_fills_total", description: "Fills.").Add(2, new KeyValuePair<string, object?>("role", "edge"));
        }

        using var second = new Meter(_prefix + ".Cache");
        second.CreateCounter<long>("edgefleet_fills_total", description: "Fills.").Add(3, new KeyValuePair<string, object?>("role", "edge"));

        const string Expected = """
            # HELP edgefleet_fills_total Fills.
            # TYPE edgefleet_fills_total counter
            edgefleet_fills_total{role="edge"} 5

            """;
        Assert.Equal(Expected, Scrape(_exporter));
    }

    [Fact]
    public void WriteTo_MeterAndInstrumentTags_BecomeLabelsThatMeasurementTagsOverride()
    {
        using var meter = new Meter(_prefix + ".Tagged", null, [new("role", "shield"), new("region", "eu")]);
        var counter = meter.CreateCounter<long>("edgefleet_notices_sent_total", null, null, [new("region", "us")]);
        counter.Add(1);
        counter.Add(1, new KeyValuePair<string, object?>("role", "edge"));

        var text = Scrape(_exporter);

        Assert.Contains("edgefleet_notices_sent_total{region=\"us\",role=\"edge\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("edgefleet_notices_sent_total{region=\"us\",role=\"shield\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_MoreTagSetsThanTheLimit_SharesAnOverflowSeries()
    {
        using var exporter = new PrometheusExporter(new PrometheusExporterOptions
        {
            MeterNamePrefix = _prefix,
            MaxSeriesPerInstrument = 2,
        });
        var counter = _meter.CreateCounter<long>("edgefleet_urls_total");
        foreach (var url in new[] { "/a", "/b", "/c", "/d", "/a" })
        {
            counter.Add(1, new KeyValuePair<string, object?>("url", url));
        }

        var text = Scrape(exporter);

        Assert.Contains("edgefleet_urls_total{url=\"/a\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("edgefleet_urls_total{otel_metric_overflow=\"true\"} 2\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/c", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_TagSetSeenBefore_AllocatesNothing()
    {
        var requests = _meter.CreateCounter<long>("edgefleet_requests_total");
        var duration = _meter.CreateHistogram<double>("edgefleet_duration_seconds");
        KeyValuePair<string, object?> status = new("status", "hit");
        KeyValuePair<string, object?> role = new("role", "edge");
        requests.Add(1, status, role);
        duration.Record(0.01, status, role);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            requests.Add(1, role, status);
            duration.Record(0.01, status, role);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Contains("edgefleet_requests_total{role=\"edge\",status=\"hit\"} 1001\n", Scrape(_exporter), StringComparison.Ordinal);
    }

    [Fact]
    public void Record_NegativeAddToCounter_IsIgnored()
    {
        var counter = _meter.CreateCounter<long>("edgefleet_up_only_total");
        counter.Add(5);
        counter.Add(-3);

        Assert.Contains("edgefleet_up_only_total 5\n", Scrape(_exporter), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteTo_StreamAndBufferWriter_WriteTheSameUtf8AsTextWriter()
    {
        _meter.CreateCounter<long>("edgefleet_names_total", description: "Grüße, ünïcode.")
            .Add(1, new KeyValuePair<string, object?>("name", "zoë"));
        var expected = Scrape(_exporter);

        using var stream = new MemoryStream();
        await _exporter.WriteToAsync(stream);
        var buffer = new ArrayBufferWriter<byte>();
        _exporter.WriteTo(buffer);

        Assert.Contains("zoë", expected, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetBytes(expected), stream.ToArray());
        Assert.Equal(Encoding.UTF8.GetBytes(expected), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void ContentType_IsTextFormat004()
    {
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", PrometheusExporter.ContentType);
    }

    private static int CountLines(string text, string prefix) =>
        text.Split('\n').Count(l => l.StartsWith(prefix, StringComparison.Ordinal));
}
