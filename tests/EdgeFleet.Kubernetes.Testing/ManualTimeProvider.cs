namespace EdgeFleet.Kubernetes.Testing;

/// <summary>
/// A clock that moves only when told: <see cref="GetUtcNow"/> is manual, while timers stay real
/// (inherited), which suits code that compares timestamps but waits with short real delays.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public ManualTimeProvider()
        : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
