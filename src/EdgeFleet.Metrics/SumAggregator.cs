using System.Diagnostics.Metrics;

namespace EdgeFleet.Metrics;

/// <summary>
/// <c>Counter&lt;T&gt;</c> (exposed as a counter) and <c>UpDownCounter&lt;T&gt;</c> (exposed as a gauge): each
/// series is a running sum, updated with one interlocked operation per measurement.
/// </summary>
internal sealed class SumAggregator : InstrumentAggregator
{
    private readonly SeriesTable<Sum> _table;
    private readonly bool _monotonic;

    public SumAggregator(
        Instrument instrument,
        bool monotonic,
        long order,
        IReadOnlyList<KeyValuePair<string, object?>> constantTags,
        int maxSeries)
        : base(instrument, monotonic ? MetricKind.Counter : MetricKind.Gauge, order)
    {
        _monotonic = monotonic;
        _table = new SeriesTable<Sum>(constantTags, reservedLabel: null, maxSeries, static () => new Sum());
    }

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // A counter only goes up (the Counter<T> contract); a negative add would make rate() lie.
        if (_monotonic && value < 0)
        {
            return;
        }

        Interlocked.Add(ref _table.Get(tags).Long, value);
    }

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value) || (_monotonic && value < 0))
        {
            return;
        }

        AtomicDouble.Add(ref _table.Get(tags).Double, value);
    }

    public override void Collect(List<SeriesSnapshot> into)
    {
        foreach (var (tags, sum) in _table.All)
        {
            into.Add(new SeriesSnapshot(tags.Labels, Volatile.Read(ref sum.Long), Volatile.Read(ref sum.Double), null));
        }
    }

    // Integer and floating-point parts apart, so a long counter stays exact beyond 2^53.
    private sealed class Sum
    {
        public long Long;
        public double Double;
    }
}
