namespace EdgeFleet.Cache.Fleet;

/// <summary>When an object is polled next, and at what interval.</summary>
internal sealed class PollState
{
    public TimeSpan Interval { get; set; }

    public DateTimeOffset Due { get; set; }

    /// <summary>For an object without validators: the SHA-256 of the body last seen (null until the first poll).</summary>
    public byte[]? ContentDigest { get; set; }
}
