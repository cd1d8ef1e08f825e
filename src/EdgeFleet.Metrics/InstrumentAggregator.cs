using System.Diagnostics.Metrics;

namespace EdgeFleet.Metrics;

/// <summary>
/// The running state of one instrument: its family name and kind, and one series per distinct tag set.
/// Measurement callbacks call <see cref="Record(long, ReadOnlySpan{KeyValuePair{string, object}})"/> from any
/// thread; a scrape calls <see cref="BeginCollect"/> then <see cref="Collect"/> under the exporter's lock.
/// </summary>
internal abstract class InstrumentAggregator
{
    protected InstrumentAggregator(Instrument instrument, MetricKind kind, long order)
    {
        Instrument = instrument;
        Kind = kind;
        Order = order;
        var name = PrometheusText.SanitizeMetricName(instrument.Name);

        // Prometheus counters end in _total; the 0.0.4 format uses that name on HELP and TYPE too.
        FamilyName = kind == MetricKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal)
            ? name + "_total"
            : name;
    }

    public Instrument Instrument { get; }

    public MetricKind Kind { get; }

    /// <summary>Publication order, so that merging instruments of one family is deterministic.</summary>
    public long Order { get; }

    public string FamilyName { get; }

    /// <summary>Explicit bucket upper bounds (without <c>+Inf</c>) for histograms, otherwise empty.</summary>
    public virtual IReadOnlyList<double> Boundaries => [];

    public abstract void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Called before observable instruments are read, so stale series can be told apart.</summary>
    public virtual void BeginCollect()
    {
    }

    public abstract void Collect(List<SeriesSnapshot> into);
}
