namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// The shield's record of one key: its holders, its tags (so a tag invalidation still finds
/// holders after the shield evicted the object) and a request count for the UPDATE decision.
/// Guarded by its own lock; small so that millions fit.
/// </summary>
internal sealed class KeyLeases
{
    public List<LeaseHolder> Holders { get; } = new(2);

    public string[] Tags { get; set; } = [];

    /// <summary>Requests in the current and the previous minute (a two-bucket sliding window).</summary>
    public int ThisMinute { get; set; }

    public int LastMinute { get; set; }

    public long Minute { get; set; }
}
