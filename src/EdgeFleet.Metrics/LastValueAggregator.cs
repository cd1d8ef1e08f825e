using System.Diagnostics.Metrics;

namespace EdgeFleet.Metrics;

/// <summary>
/// Instruments whose measurement is the current value rather than an increment: <c>Gauge&lt;T&gt;</c> and
/// the observable instruments, which report at scrape time (an observable counter reports its running total).
/// For observable instruments a series that the callback did not report in the latest scrape is dropped, so
/// a label set that went away (a closed connection pool, a removed origin) leaves the exposition.
/// </summary>
internal sealed class LastValueAggregator : InstrumentAggregator
{
    private readonly SeriesTable<LastValue> _table;
    private readonly bool _observable;
    private long _generation;

    public LastValueAggregator(
        Instrument instrument,
        MetricKind kind,
        long order,
        IReadOnlyList<KeyValuePair<string, object?>> constantTags,
        int maxSeries)
        : base(instrument, kind, order)
    {
        _observable = instrument.IsObservable;
        _table = new SeriesTable<LastValue>(constantTags, reservedLabel: null, maxSeries, static () => new LastValue());
    }

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Record((double)value, tags);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = _table.Get(tags);
        Volatile.Write(ref series.Value, value);
        Volatile.Write(ref series.Generation, Volatile.Read(ref _generation));
    }

    public override void BeginCollect()
    {
        if (_observable)
        {
            Interlocked.Increment(ref _generation);
        }
    }

    public override void Collect(List<SeriesSnapshot> into)
    {
        var generation = Volatile.Read(ref _generation);
        foreach (var (tags, series) in _table.All)
        {
            if (_observable && Volatile.Read(ref series.Generation) != generation)
            {
                _table.Remove(tags);
                continue;
            }

            into.Add(new SeriesSnapshot(tags.Labels, 0, Volatile.Read(ref series.Value), null));
        }
    }

    private sealed class LastValue
    {
        public double Value;
        public long Generation;
    }
}
