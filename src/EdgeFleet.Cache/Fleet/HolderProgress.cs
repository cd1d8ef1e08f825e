namespace EdgeFleet.Cache.Fleet;

/// <summary>One targeted edge of an invalidation: notices not yet acknowledged, and when its last lease ends.</summary>
internal sealed class HolderProgress
{
    public int Outstanding { get; set; }

    public DateTimeOffset Expires { get; set; }

    public DateTimeOffset? AckedAt { get; set; }
}
