namespace EdgeFleet.Fleet.Tests;

public sealed class AdaptivePollerTests
{
    [Fact]
    public async Task Poll_OriginChangedWithoutInvalidation_EdgeGetsNewVersionBeforeItsLeaseEnds()
    {
        // Leases and HTTP freshness far longer than the wait: only the shield's poll can tell the edge.
        using var fleet = new SmallFleet(
            ["--lease-duration", "00:01:00", "--EdgeFleet:AdaptivePolling:Enabled=true", "--EdgeFleet:AdaptivePolling:MinInterval=00:00:00.2", "--EdgeFleet:AdaptivePolling:MaxInterval=00:00:01"],
            ["--lease-duration", "00:01:00"]);
        await fleet.WaitReadyAsync();
        await fleet.PutAsync("/notes/polled/a", "polled v1");
        await fleet.GetAsync("/notes/polled/a");
        Assert.Equal("polled v1", await fleet.GetAsync("/notes/polled/a"));

        await fleet.PutAsync("/notes/polled/a", "polled v2");

        await Waits.UntilAsync(async () => await fleet.GetAsync("/notes/polled/a") == "polled v2", TimeSpan.FromSeconds(20), "the edge to serve the polled change");
        var shield = await fleet.StatusAsync(fleet.ShieldAdmin);
        Assert.True(shield.GetProperty("updatesSent").GetInt64() + shield.GetProperty("invalidatesSent").GetInt64() >= 1);
    }

    [Fact]
    public async Task Poll_OriginWithoutValidatorsChanged_FoundByContentAndEdgeGetsNewVersion()
    {
        using var fleet = new SmallFleet(
            ["--lease-duration", "00:01:00", "--EdgeFleet:AdaptivePolling:Enabled=true", "--EdgeFleet:AdaptivePolling:MinInterval=00:00:00.2", "--EdgeFleet:AdaptivePolling:MaxInterval=00:00:01"],
            ["--lease-duration", "00:01:00"]);
        await fleet.WaitReadyAsync();
        await fleet.PutAsync("/notes/polled/plain?validators=none", "plain v1");
        await fleet.GetAsync("/notes/polled/plain");
        Assert.Equal("plain v1", await fleet.GetAsync("/notes/polled/plain"));

        // Unchanged content: polls find nothing, however many run.
        await Waits.UntilAsync(async () => (await fleet.StatusAsync(fleet.ShieldAdmin)).GetProperty("polls").GetInt64() >= 3, TimeSpan.FromSeconds(20), "three polls");
        Assert.Equal(0, (await fleet.StatusAsync(fleet.ShieldAdmin)).GetProperty("pollChanges").GetInt64());

        await fleet.PutAsync("/notes/polled/plain?validators=none", "plain v2");

        await Waits.UntilAsync(async () => await fleet.GetAsync("/notes/polled/plain") == "plain v2", TimeSpan.FromSeconds(20), "the edge to serve the polled change");
        Assert.True((await fleet.StatusAsync(fleet.ShieldAdmin)).GetProperty("pollChanges").GetInt64() >= 1);
    }
}
