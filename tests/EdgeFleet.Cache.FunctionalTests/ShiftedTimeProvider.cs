namespace EdgeFleet.Cache.FunctionalTests;

/// <summary>
/// A clock for tests: the wall clock plus an offset the test moves forward, so that a stored
/// response can be made stale without waiting. Timers and timestamps stay real, so timeouts
/// and retry delays still run.
/// </summary>
public sealed class ShiftedTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
