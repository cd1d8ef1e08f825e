using EdgeFleet.Storage.Eviction;

namespace EdgeFleet.Storage.Tests.Eviction;

public sealed class GhostQueueTests
{
    [Fact]
    public void Remove_RecentKey_ReportsItOnce()
    {
        var ghosts = new GhostQueue();
        ghosts.Add(1, limit: 10);

        Assert.True(ghosts.Remove(1));
        Assert.False(ghosts.Remove(1));
        Assert.False(ghosts.Remove(2));
    }

    [Fact]
    public void Add_BeyondTheLimit_ForgetsTheOldestKeys()
    {
        var ghosts = new GhostQueue();
        for (ulong key = 0; key < 100; key++)
        {
            ghosts.Add(key, limit: 10);
        }

        Assert.Equal(10, ghosts.Count);
        Assert.False(ghosts.Remove(89));
        Assert.True(ghosts.Remove(90));
        Assert.True(ghosts.Remove(99));
    }

    [Fact]
    public void Add_KeyAddedAgain_OutlivesItsFirstEntry()
    {
        var ghosts = new GhostQueue();
        ghosts.Add(1, limit: 3);
        ghosts.Add(2, limit: 3);
        ghosts.Add(1, limit: 3);
        ghosts.Add(3, limit: 3);

        // The ring dropped the first entry of key 1, but its later entry still stands.
        Assert.True(ghosts.Remove(1));
        Assert.True(ghosts.Remove(2));
        Assert.True(ghosts.Remove(3));
    }
}
