namespace EdgeFleet.Metrics;

/// <summary>Settings of a <see cref="PrometheusExporter"/>.</summary>
public sealed class PrometheusExporterOptions
{
    /// <summary>
    /// Instruments are exported when their <c>Meter</c> name starts with this prefix (ordinal comparison),
    /// for example <c>EdgeFleet</c> for the meters <c>EdgeFleet.Cache</c> and <c>EdgeFleet.Storage</c>.
    /// </summary>
    public string MeterNamePrefix { get; set; } = "EdgeFleet";

    /// <summary>
    /// Distinct tag sets kept apart per instrument. Further tag sets are recorded into one series labelled
    /// <c>otel_metric_overflow="true"</c>, which bounds memory when a tag carries unbounded values.
    /// </summary>
    /// <summary>
    /// When set, only meters whose <see cref="System.Diagnostics.Metrics.Meter.Scope"/> is this
    /// object are exported: pass the process's <c>IMeterFactory</c> so that several servers in one
    /// process (as in tests) each export only their own instruments.
    /// </summary>
    public object? MeterScope { get; set; }

    public int MaxSeriesPerInstrument { get; set; } = 2000;

    /// <summary>
    /// Bucket upper bounds for a histogram in seconds (unit <c>s</c> or a name ending in <c>_seconds</c>) that
    /// gives no <c>InstrumentAdvice.HistogramBucketBoundaries</c>: 0.5 ms to 30 s, the span between a memory
    /// hit and a slow origin.
    /// </summary>
    public IReadOnlyList<double> SecondsBuckets { get; set; } =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <summary>
    /// Bucket upper bounds for a histogram in bytes (unit <c>By</c> or a name ending in <c>_bytes</c>) without
    /// advice: powers of four from 256 B to 1 GiB, covering object sizes from tiny API replies to video segments.
    /// </summary>
    public IReadOnlyList<double> BytesBuckets { get; set; } =
    [
        256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864, 268435456, 1073741824,
    ];

    /// <summary>Bucket upper bounds for any other histogram without advice (the OpenTelemetry defaults).</summary>
    public IReadOnlyList<double> DefaultBuckets { get; set; } =
        [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    /// <summary>
    /// Called when an observable instrument's callback throws during a scrape. The scrape still succeeds;
    /// the failing instrument's series are left out of it. Null ignores the failure.
    /// </summary>
    public Action<Exception>? ObservableCallbackFailed { get; set; }
}
