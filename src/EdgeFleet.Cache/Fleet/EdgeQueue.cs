namespace EdgeFleet.Cache.Fleet;

/// <summary>The notices waiting for one edge, in sequence order, and the signal its sender waits on.</summary>
internal sealed class EdgeQueue(string edge)
{
    public string Edge { get; } = edge;

    public List<PendingNotice> Pending { get; } = [];

    public SemaphoreSlim Signal { get; } = new(0);

    public Lock Lock { get; } = new();
}
