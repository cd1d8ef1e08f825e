namespace EdgeFleet.Cache.Fleet;

/// <summary>When an object is polled next, and at what interval.</summary>
internal sealed class PollState
{
    public TimeSpan Interval { get; set; }

    public DateTimeOffset Due { get; set; }
}
