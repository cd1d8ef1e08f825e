namespace EdgeFleet.Fleet.Tests;

[Collection(LocalFleetCollection.Name)]
public sealed class FleetRunnerTests(LocalFleetFixture fleet)
{
    [Fact]
    public async Task Run_PortOfTheRangeTaken_StopsAtOnceNamingThePort()
    {
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;

        // The taken port is the first shield's public port (base + 101).
        var artifacts = Path.Combine(Path.GetTempPath(), "edgefleet-port-test-" + Guid.NewGuid().ToString("n")[..8]);
        using var runner = ServerProcess.Start(ServerProcess.RunnerDll,
            ["run", "--base-port", (taken - 101).ToString(System.Globalization.CultureInfo.InvariantCulture), "--artifacts", artifacts, "--quiet"]);
        await Waits.UntilAsync(() => Task.FromResult(runner.HasExited), TimeSpan.FromSeconds(30), "the runner to stop");

        Assert.Equal(3, runner.WaitForExit());
        var named = System.Text.RegularExpressions.Regex.Match(runner.Output, @"port (\d+) \(([a-z0-9-]+)\) is in use; choose another --base-port");
        Assert.True(named.Success, runner.Output);

        // The taken port, or (first in the runner's order) another port of the range that some other
        // program held at that moment: the range may overlap the kernel's ephemeral ports.
        var port = int.Parse(named.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(port, taken - 101, taken - 101 + 222);
        Assert.False(File.Exists(Path.Combine(artifacts, "fleet.json")));
        Directory.Delete(artifacts, recursive: true);
    }

    [Fact]
    public async Task ShieldKilled_DuringBurstOfInvalidations_IsRestartedAndCompletionHolds()
    {
        var paths = Enumerable.Range(0, 6).Select(i => $"/notes/burst/{i}").ToList();
        foreach (var path in paths)
        {
            await fleet.PutAsync(path, "burst v1 " + new string('y', 2000));
            await fleet.WarmAsync(path);
        }

        foreach (var path in paths)
        {
            await fleet.PutAsync(path, "burst v2 " + new string('y', 2000));
        }

        var victim = fleet.Fleet.Shields.First();
        var survivor = fleet.Fleet.Shields.Last();
        var ids = new List<string>();
        for (var i = 0; i < paths.Count; i++)
        {
            if (i == 2)
            {
                ServerProcess.Signal("KILL", victim.Pid);
            }

            // Posted to the surviving shield, which forwards each to its peer until it is back.
            ids.Add(await fleet.InvalidateAsync(new { urls = new[] { paths[i] } }, survivor.Admin));
        }

        await Waits.UntilAsync(
            () => Task.FromResult(FleetManifest.Load(fleet.ManifestPath).Shields.First().Restarts >= 1),
            TimeSpan.FromSeconds(30),
            "the runner to restart the killed shield");
        var restarted = FleetManifest.Load(fleet.ManifestPath).Shields.First();
        Assert.NotEqual(victim.Pid, restarted.Pid);

        foreach (var id in ids)
        {
            await fleet.WaitCompleteAsync(id, survivor.Admin, TimeSpan.FromSeconds(60));
        }

        foreach (var edge in fleet.Fleet.Edges)
        {
            foreach (var path in paths)
            {
                Assert.StartsWith("burst v2", await fleet.BodyAsync(edge.Public, path), StringComparison.Ordinal);
            }
        }

        fleet.Fleet.Members.First(m => m.Name == victim.Name).Pid = restarted.Pid;
    }
}
