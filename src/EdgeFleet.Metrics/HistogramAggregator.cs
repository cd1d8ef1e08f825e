using System.Diagnostics.Metrics;

namespace EdgeFleet.Metrics;

/// <summary>
/// <c>Histogram&lt;T&gt;</c> in explicit buckets. Each measurement increments one bucket and adds to the sum;
/// the count is not kept apart but computed from the buckets at scrape time, so <c>_count</c> always equals
/// the <c>+Inf</c> bucket even while other threads record.
/// </summary>
internal sealed class HistogramAggregator : InstrumentAggregator
{
    private readonly SeriesTable<Distribution> _table;
    private readonly double[] _boundaries;

    public HistogramAggregator(
        Instrument instrument,
        double[] boundaries,
        long order,
        IReadOnlyList<KeyValuePair<string, object?>> constantTags,
        int maxSeries)
        : base(instrument, MetricKind.Histogram, order)
    {
        _boundaries = boundaries;
        var bucketCount = boundaries.Length + 1;
        _table = new SeriesTable<Distribution>(constantTags, "le", maxSeries, () => new Distribution(bucketCount));
    }

    public override IReadOnlyList<double> Boundaries => _boundaries;

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = _table.Get(tags);
        Interlocked.Increment(ref series.Counts[BucketOf(value)]);
        Interlocked.Add(ref series.LongSum, value);
    }

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        var series = _table.Get(tags);
        Interlocked.Increment(ref series.Counts[BucketOf(value)]);
        AtomicDouble.Add(ref series.DoubleSum, value);
    }

    public override void Collect(List<SeriesSnapshot> into)
    {
        foreach (var (tags, series) in _table.All)
        {
            var counts = new long[series.Counts.Length];
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] = Volatile.Read(ref series.Counts[i]);
            }

            into.Add(new SeriesSnapshot(
                tags.Labels, Volatile.Read(ref series.LongSum), Volatile.Read(ref series.DoubleSum), counts));
        }
    }

    // Buckets are upper-inclusive (le = "less than or equal"); past the last bound is +Inf.
    private int BucketOf(double value)
    {
        var index = Array.BinarySearch(_boundaries, value);
        return index >= 0 ? index : ~index;
    }

    private sealed class Distribution(int buckets)
    {
        public readonly long[] Counts = new long[buckets];
        public long LongSum;
        public double DoubleSum;
    }
}
