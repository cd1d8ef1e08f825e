namespace EdgeFleet.Fleet.Tests;

public sealed class EdgeSyncTests
{
    [Fact]
    public async Task Restart_NoticesMissedWhileDown_CaughtUpFromTheShieldLog()
    {
        using var fleet = new SmallFleet(["--lease-duration", "00:00:05"], ["--lease-duration", "00:00:05"]);
        await fleet.WaitReadyAsync();
        await fleet.PutAsync("/notes/catchup/a", "a v1");
        await fleet.GetAsync("/notes/catchup/a");
        await fleet.GetAsync("/notes/catchup/a");

        fleet.Edge.Kill();
        await fleet.PutAsync("/notes/catchup/a", "a v2");
        await fleet.InvalidateAndWaitAsync("/notes/catchup/a");
        var shieldSeq = (await fleet.StatusAsync(fleet.ShieldAdmin)).GetProperty("noticeSeq").GetInt64();
        fleet.Edge.Restart();
        await fleet.WaitReadyAsync();

        var status = await fleet.StatusAsync(fleet.EdgeAdmin);
        Assert.True(status.GetProperty("noticesApplied").GetInt64() == 1, status.ToString());
        Assert.Equal(1, status.GetProperty("catchUps").GetInt32());
        Assert.Equal(0, status.GetProperty("markedAllStale").GetInt64());
        Assert.Equal(1, status.GetProperty("noticesApplied").GetInt64());
        Assert.Equal(shieldSeq, status.GetProperty("sync").EnumerateObject().Single().Value.GetProperty("lastSeq").GetInt64());
        Assert.Equal("a v2", await fleet.GetAsync("/notes/catchup/a"));
    }

    [Fact]
    public async Task Restart_LogNoLongerReachesBack_MarksEverythingStale()
    {
        // Leases long enough to outlast the steps below on a loaded machine: the invalidations
        // must find them running, so that the notices for the stopped edge fill the log.
        using var fleet = new SmallFleet(["--lease-duration", "00:00:20", "--EdgeFleet:Notices:LogCapacity=2"], ["--lease-duration", "00:00:20"]);
        await fleet.WaitReadyAsync();
        for (var i = 0; i < 4; i++)
        {
            await fleet.PutAsync($"/notes/stale/{i}", $"{i} v1");
            await fleet.GetAsync($"/notes/stale/{i}");
            await fleet.GetAsync($"/notes/stale/{i}");
        }

        fleet.Edge.Kill();
        for (var i = 0; i < 4; i++)
        {
            await fleet.PutAsync($"/notes/stale/{i}", $"{i} v2");
        }

        await fleet.InvalidateAndWaitAsync([.. Enumerable.Range(0, 4).Select(i => $"/notes/stale/{i}")]);

        fleet.Edge.Restart();
        await fleet.WaitReadyAsync();

        var status = await fleet.StatusAsync(fleet.EdgeAdmin);
        Assert.True(status.GetProperty("markedAllStale").GetInt64() == 1, status.ToString());
        Assert.Equal(0, status.GetProperty("noticesApplied").GetInt64());
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal($"{i} v2", await fleet.GetAsync($"/notes/stale/{i}"));
        }
    }
}
