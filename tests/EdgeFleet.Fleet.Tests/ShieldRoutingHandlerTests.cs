namespace EdgeFleet.Fleet.Tests;

public sealed class ShieldRoutingHandlerTests
{
    [Fact]
    public async Task Fill_FirstShieldDown_SkippedAfterTimeoutAndNextShieldServes()
    {
        // A port nothing listens on: the key's first shield (for some keys) refuses connections.
        // The timeout leaves the live shield time for its first (cold) answers on a loaded machine.
        var dead = ServerProcess.Url(ServerProcess.FreePort());
        using var fleet = new SmallFleet([], ["--EdgeFleet:ShieldTimeout=00:00:05", "--EdgeFleet:ShieldDownFor=00:01:00", "--EdgeFleet:FallbackToOrigin=false"], deadShield: dead);
        await fleet.WaitReadyAsync();

        for (var i = 0; i < 8; i++)
        {
            await fleet.PutAsync($"/notes/failover/{i}", $"failover {i}");
            Assert.Equal($"failover {i}", await fleet.GetAsync($"/notes/failover/{i}"));
        }

        var status = await fleet.StatusAsync(fleet.EdgeAdmin);
        Assert.Contains(dead, status.GetProperty("shieldsDown").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(8, status.GetProperty("fillsByShield").GetProperty(fleet.ShieldPublic).GetInt64());
    }
}
