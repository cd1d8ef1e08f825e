using EdgeFleet.Cache.Fleet;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace EdgeFleet.Fleet.Tests;

public sealed class LeaseRegistryTests(ITestOutputHelper output)
{
    [Fact]
    public void Grant_ManyLeases_MemoryPerLeaseIsSmallAndSweepReclaimsAll()
    {
        var clock = new ManualClock();
        var registry = new LeaseRegistry(Options.Create(new FleetOptions { LeaseDuration = TimeSpan.FromMinutes(1) }), clock);
        var keys = Enumerable.Range(0, 50_000).Select(i => $"/objects/{i}").ToArray();
        string[] edges = ["edge-eu-1", "edge-eu-2"];
        var before = GC.GetTotalMemory(forceFullCollection: true);
        foreach (var key in keys)
        {
            foreach (var edge in edges)
            {
                registry.Grant(key, edge, "\"v1\"", [], 1);
            }
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        var perLease = (after - before) / (double)registry.Count;
        output.WriteLine($"{registry.Count} leases on {registry.KeyCount} keys: {perLease:F0} bytes per lease (keys and versions shared with the caller)");

        Assert.Equal(100_000, registry.Count);
        Assert.InRange(perLease, 1, 400);

        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Empty(registry.Holders(keys[0]));
        Assert.Equal(100_000, registry.Sweep());
        Assert.Equal(0, registry.Count);
        Assert.Equal(0, registry.KeyCount);
        GC.KeepAlive(keys);
    }

    [Fact]
    public void Grant_TableFull_NoNewLeaseButRenewalsStillWork()
    {
        var clock = new ManualClock();
        var registry = new LeaseRegistry(Options.Create(new FleetOptions { Notices = new NoticeOptions { MaxLeases = 2 } }), clock);
        Assert.NotNull(registry.Grant("/a", "e1", "v", [], 1));
        Assert.NotNull(registry.Grant("/b", "e1", "v", [], 1));

        Assert.Null(registry.Grant("/c", "e1", "v", [], 1));
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(1), registry.Grant("/a", "e1", "v2", [], 1));
    }

    [Fact]
    public void Revoke_LiveHolders_ReturnedOnceThenGone()
    {
        var clock = new ManualClock();
        var registry = new LeaseRegistry(Options.Create(new FleetOptions()), clock);
        registry.Grant("/a", "e1", "v", ["t"], 1);
        registry.Grant("/a", "e2", "v", ["t"], 1);

        Assert.Equal(["e1", "e2"], registry.Revoke("/a").Select(h => h.Edge).Order());
        Assert.Empty(registry.Revoke("/a"));
        Assert.Equal(["/a"], registry.KeysWithTag("t"));
    }
}
