namespace EdgeFleet.Cache.Fleet;

/// <summary>How a shield sends notices (section <c>EdgeFleet:Notices</c>).</summary>
public sealed class NoticeOptions
{
    /// <summary>The largest object pushed in an UPDATE; larger ones get an INVALIDATE.</summary>
    public long UpdateMaxBytes { get; set; } = 256 * 1024;

    /// <summary>Requests per minute (seen by the shield) from which an object is pushed instead of invalidated.</summary>
    public int UpdateMinRequestsPerMinute { get; set; } = 2;

    /// <summary>How long notices for one edge are gathered into one batch.</summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>How many notices the shield's log keeps for edges that catch up.</summary>
    public int LogCapacity { get; set; } = 100_000;

    /// <summary>The most leases a shield tracks; beyond it new leases are not granted.</summary>
    public int MaxLeases { get; set; } = 2_000_000;
}
