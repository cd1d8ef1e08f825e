namespace EdgeFleet.Storage.Eviction;

/// <summary>The knobs of <see cref="WindowTinyLfuEvictionPolicy"/>; the defaults are Caffeine's.</summary>
public sealed record WindowTinyLfuOptions
{
    /// <summary>The name the policy reports.</summary>
    public string Name { get; init; } = "wtinylfu";

    /// <summary>The share of the capacity the admission window starts with.</summary>
    public double InitialWindowFraction { get; init; } = 0.01;

    /// <summary>The largest share of the capacity the window may grow to.</summary>
    public double MaxWindowFraction { get; init; } = 0.8;

    /// <summary>The share of the main space kept for keys hit at least twice (the protected segment).</summary>
    public double ProtectedFraction { get; init; } = 0.8;

    /// <summary>Whether the window is resized by hill climbing on the hit ratio; otherwise it stays at its initial share.</summary>
    public bool AdaptiveWindow { get; init; } = true;

    /// <summary>How many requests, as a multiple of the resident keys, one hill-climbing sample spans.</summary>
    public double SampleMultiplier { get; init; } = 10;

    /// <summary>The first step of the hill climber, and the step after a restart, as a share of the capacity.</summary>
    public double StepFraction { get; init; } = 0.0625;

    /// <summary>A change of the sampled hit ratio at least this large restarts the climb with a full step.</summary>
    public double RestartThreshold { get; init; } = 0.05;

    /// <summary>Each step is this share of the previous one while the hit ratio changes little.</summary>
    public double StepDecay { get; init; } = 0.98;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialWindowFraction, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(InitialWindowFraction, MaxWindowFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxWindowFraction, 1.0);
        ArgumentOutOfRangeException.ThrowIfLessThan(ProtectedFraction, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ProtectedFraction, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SampleMultiplier);
        ArgumentOutOfRangeException.ThrowIfNegative(StepFraction);
        ArgumentOutOfRangeException.ThrowIfNegative(RestartThreshold);
        ArgumentOutOfRangeException.ThrowIfNegative(StepDecay);
    }
}
