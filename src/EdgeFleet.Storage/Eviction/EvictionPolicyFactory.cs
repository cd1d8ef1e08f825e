namespace EdgeFleet.Storage.Eviction;

/// <summary>Creates eviction policies by name; the one place that says which policy is the default.</summary>
public static class EvictionPolicyFactory
{
    /// <summary>The name that stands for whichever policy is the default.</summary>
    public const string DefaultName = "default";

    /// <summary>
    /// The default policy. See <see cref="S3FifoEvictionPolicy"/> for the algorithm and the replay
    /// figures in the issue note for why these settings.
    /// </summary>
    public static readonly S3FifoOptions DefaultOptions = new()
    {
        Name = "s3fifo-edge",
    };

    /// <summary>The names <see cref="Create"/> accepts besides <see cref="DefaultName"/>, baselines first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["lru", "fifo", "s3fifo", DefaultOptions.Name];

    /// <summary>The name of the policy <see cref="DefaultName"/> stands for.</summary>
    public static string DefaultPolicyName => DefaultOptions.Name;

    /// <summary>Creates the policy called <paramref name="name"/> (case-insensitive) for a budget of <paramref name="capacity"/>.</summary>
    /// <exception cref="ArgumentException">No policy has that name.</exception>
    public static IEvictionPolicy Create(string name, long capacity)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normalized = name.Trim().ToLowerInvariant();
        if (normalized == DefaultName || normalized == DefaultOptions.Name)
        {
            return new S3FifoEvictionPolicy(capacity, DefaultOptions);
        }

        return normalized switch
        {
            "lru" => new LruEvictionPolicy(capacity),
            "fifo" => new FifoEvictionPolicy(capacity),
            "s3fifo" => new S3FifoEvictionPolicy(capacity),
            _ => throw new ArgumentException(
                $"Unknown eviction policy '{name}'; known: {DefaultName}, {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
