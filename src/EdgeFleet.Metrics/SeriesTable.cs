using System.Collections.Concurrent;

namespace EdgeFleet.Metrics;

/// <summary>
/// The series of one instrument, keyed by tag set. A tag set seen before is found without allocating: the
/// dictionary is searched directly with the measurement callback's span of tags through an alternate comparer.
/// </summary>
internal sealed class SeriesTable<TSeries>
    where TSeries : class
{
    // Past the limit, new tag sets share one series marked the way OpenTelemetry SDKs mark it, so a
    // label with unbounded values (a URL, a client address) cannot exhaust memory.
    private static readonly KeyValuePair<string, object?>[] OverflowTags = [new("otel_metric_overflow", true)];

    private readonly ConcurrentDictionary<TagSet, TSeries> _series;
    private readonly ConcurrentDictionary<TagSet, TSeries>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _lookup;
    private readonly Func<TSeries> _create;
    private readonly int _maxSeries;
    private int _count;

    /// <param name="constantTags">Meter and instrument tags, added as labels to every series.</param>
    /// <param name="reservedLabel">A label name the family writes itself (<c>le</c>), or null.</param>
    /// <param name="maxSeries">How many distinct tag sets are kept apart before they share an overflow series.</param>
    /// <param name="create">Makes the state of a new series.</param>
    public SeriesTable(
        IReadOnlyList<KeyValuePair<string, object?>> constantTags,
        string? reservedLabel,
        int maxSeries,
        Func<TSeries> create)
    {
        _series = new ConcurrentDictionary<TagSet, TSeries>(new TagSetComparer(constantTags, reservedLabel));
        _lookup = _series.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
        _maxSeries = maxSeries;
        _create = create;
    }

    /// <summary>Every series; enumeration is safe while other threads record.</summary>
    public IEnumerable<KeyValuePair<TagSet, TSeries>> All => _series;

    public TSeries Get(ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _lookup.TryGetValue(tags, out var series) ? series : Add(tags);

    public void Remove(TagSet tags)
    {
        if (_series.TryRemove(tags, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private TSeries Add(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // ConcurrentDictionary.Count takes every lock; a separate counter keeps this path cheap.
        if (Volatile.Read(ref _count) >= _maxSeries)
        {
            tags = OverflowTags;
        }

        var created = _create();
        while (true)
        {
            if (_lookup.TryGetValue(tags, out var existing))
            {
                return existing;
            }

            if (_lookup.TryAdd(tags, created))
            {
                Interlocked.Increment(ref _count);
                return created;
            }
        }
    }
}
