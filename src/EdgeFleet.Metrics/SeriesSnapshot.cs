namespace EdgeFleet.Metrics;

/// <summary>
/// One series' values read at scrape time. Integer measurements are kept apart from floating-point ones so
/// that long counters stay exact: the exposed value is <see cref="LongValue"/> + <see cref="DoubleValue"/>.
/// For histograms the two hold the sum and <see cref="BucketCounts"/> the per-bucket (not cumulative) counts,
/// the last one being the <c>+Inf</c> bucket.
/// </summary>
internal readonly record struct SeriesSnapshot(string Labels, long LongValue, double DoubleValue, long[]? BucketCounts)
{
    /// <summary>
    /// Combines two series with the same labels from two instruments of one family (for example a meter
    /// disposed and created again under the same name): totals add up, a gauge takes the later value.
    /// </summary>
    public SeriesSnapshot Merge(SeriesSnapshot later, MetricKind kind)
    {
        if (kind == MetricKind.Gauge)
        {
            return later;
        }

        long[]? buckets = null;
        if (BucketCounts is not null && later.BucketCounts is not null)
        {
            buckets = new long[BucketCounts.Length];
            for (var i = 0; i < buckets.Length; i++)
            {
                buckets[i] = BucketCounts[i] + later.BucketCounts[i];
            }
        }

        return new SeriesSnapshot(Labels, LongValue + later.LongValue, DoubleValue + later.DoubleValue, buckets);
    }
}
