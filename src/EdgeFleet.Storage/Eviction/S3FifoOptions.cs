namespace EdgeFleet.Storage.Eviction;

/// <summary>The knobs of <see cref="S3FifoEvictionPolicy"/>; the defaults are the published algorithm.</summary>
public sealed record S3FifoOptions
{
    /// <summary>The name the policy reports.</summary>
    public string Name { get; init; } = "s3fifo";

    /// <summary>The share of the capacity given to the small (probation) queue.</summary>
    public double SmallQueueFraction { get; init; } = 0.1;

    /// <summary>How many hits a key needs while in the small queue to move to the main queue.</summary>
    public int PromotionThreshold { get; init; } = 2;

    /// <summary>The cap of the per-key hit counter (at most 7); the main queue re-queues a key this many times.</summary>
    public int MaxFrequency { get; init; } = 3;

    /// <summary>The number of ghost keys remembered, as a multiple of the number of resident keys.</summary>
    public double GhostFraction { get; init; } = 1.0;

    /// <summary>
    /// Keys larger than this share of the small queue are not stored on their first miss, only
    /// remembered as ghosts, and go to the main queue on the next miss while still remembered.
    /// Zero turns the rule off.
    /// </summary>
    public double LargeObjectFraction { get; init; }

    /// <summary>A missed key the sketch has seen at least this often goes straight to main; zero turns it off.</summary>
    public int SketchMainThreshold { get; init; }

    /// <summary>
    /// Keys larger than this multiple of the mean resident size need one hit more to leave the small
    /// queue for main, and lose two hits instead of one on each pass through main. Zero turns it off.
    /// </summary>
    public double LargeObjectPenaltyFactor { get; init; }

    /// <summary>
    /// Counters the sketch keeps per resident key (a power of two, at least 16): a wider sketch
    /// mistakes fewer new keys for returning ones, which matters when
    /// <see cref="SketchMainThreshold"/> is low. Costs half a byte per counter.
    /// </summary>
    public int SketchCountersPerKey { get; init; } = FrequencySketch.MinCountersPerKey;

    /// <summary>
    /// Hits within this many admissions after a key's own admission do not count towards keeping
    /// it: requests that come in a burst (a page and its repeats, retries) are one use, not
    /// evidence of popularity (the correlated reference period of LRU-K). Counted in admissions,
    /// a clock that needs no time source and no write on the hit path. Zero turns it off.
    /// </summary>
    public int CorrelationWindow { get; init; }

    internal bool UsesSketch => SketchMainThreshold > 0;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(SmallQueueFraction, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SmallQueueFraction, 1.0);
        ArgumentOutOfRangeException.ThrowIfLessThan(PromotionThreshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrequency, PromotionThreshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxFrequency, EntryTable.FrequencyMask);
        ArgumentOutOfRangeException.ThrowIfNegative(GhostFraction);
        ArgumentOutOfRangeException.ThrowIfNegative(LargeObjectFraction);
        FrequencySketch.ThrowIfInvalidCountersPerKey(SketchCountersPerKey, nameof(SketchCountersPerKey));

        ArgumentOutOfRangeException.ThrowIfNegative(CorrelationWindow);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(CorrelationWindow, EntryTable.StampMask / 2);
    }
}
