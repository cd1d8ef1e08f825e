using System.Net;

namespace EdgeFleet.Fleet.Tests;

public sealed class ShieldRoutingHandlerTests
{
    [Fact]
    public async Task Fill_FirstShieldDown_SkippedAfterTimeoutAndNextShieldServes()
    {
        // A port bound but never listened on: connections to it are refused, and no other process
        // in this run can take it while the test holds it. Which shield a key prefers depends on the
        // port, so fills go on until one key has tried the dead shield first (at most 40 keys; the
        // chance that none of them prefers it is 2^-40).
        using var deadPort = ServerProcess.HoldRefusingPort();
        var dead = ServerProcess.Url(((IPEndPoint)deadPort.LocalEndPoint!).Port);
        // The timeout leaves the live shield time for its first (cold) answers on a loaded machine.
        using var fleet = new SmallFleet([], ["--EdgeFleet:ShieldTimeout=00:00:05", "--EdgeFleet:ShieldDownFor=00:01:00", "--EdgeFleet:FallbackToOrigin=false"], deadShield: dead);
        await fleet.WaitReadyAsync();

        var fills = 0;
        do
        {
            await fleet.PutAsync($"/notes/failover/{fills}", $"failover {fills}");
            Assert.Equal($"failover {fills}", await fleet.GetAsync($"/notes/failover/{fills}"));
            fills++;
        }
        while (fills < 40 && !(await ShieldsDownAsync(fleet)).Contains(dead));

        var status = await fleet.StatusAsync(fleet.EdgeAdmin);
        Assert.Contains(dead, status.GetProperty("shieldsDown").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(fills, status.GetProperty("fillsByShield").GetProperty(fleet.ShieldPublic).GetInt64());
    }

    private static async Task<List<string?>> ShieldsDownAsync(SmallFleet fleet) =>
        [.. (await fleet.StatusAsync(fleet.EdgeAdmin)).GetProperty("shieldsDown").EnumerateArray().Select(e => e.GetString())];
}
