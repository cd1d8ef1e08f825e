namespace EdgeFleet.Cache.Fleet;

/// <summary>An edge's position in one shield's notice sequence.</summary>
public sealed class ShieldSyncState
{
    public string Epoch { get; set; } = "";

    public long LastSeq { get; set; }
}
