namespace EdgeFleet.Storage.Disk;

/// <summary>Settings of the disk tier.</summary>
public sealed class DiskObjectStoreOptions
{
    /// <summary>The directory the tier owns (the pod's NVMe volume).</summary>
    public required string Path { get; init; }

    /// <summary>The budget in bytes: object files and files being written never add up to more.</summary>
    public required long Capacity { get; init; }

    /// <summary>The eviction policy's name (see <see cref="Eviction.EvictionPolicyFactory"/>).</summary>
    public string EvictionPolicy { get; init; } = Eviction.EvictionPolicyFactory.DefaultName;

    /// <summary>
    /// Keys containing this character are variants of the key before it. The tier keeps their
    /// full keys in memory, so finding the variants of a key needs no scan of the disk; all other
    /// keys stay on disk only.
    /// </summary>
    public char? VariantSeparator { get; init; }

    /// <summary>Objects with bodies up to this size are read, verified and returned whole; larger ones are read in ranges.</summary>
    public long WholeReadLimit { get; init; } = 1024 * 1024;

    /// <summary>The size of a checksummed body chunk: the unit a range read verifies.</summary>
    public int ChunkSize { get; init; } = 64 * 1024;

    /// <summary>How long a failed disk is left alone before the tier tries it again.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether a committed file is flushed to the device before it becomes visible. Only a
    /// benchmark filling a directory with objects turns this off.
    /// </summary>
    public bool SyncWrites { get; init; } = true;

    /// <summary>
    /// The share of the budget set aside for files being written, so that the budget holds while
    /// they grow: a quarter, at most 4 GiB. It is also the largest object the tier stores.
    /// </summary>
    public static long TempBudgetFor(long capacity) => Math.Min(capacity / 4, 4L << 30);
}
