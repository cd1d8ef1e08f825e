using System.Text.Json.Nodes;

namespace EdgeFleet.Kubectl.Tests;

public sealed class StatusCommandTests : PluginFixture
{
    private static JsonObject Status() => JsonNode.Parse("""
        {
          "observedGeneration": 1,
          "readyPods": "6/7",
          "replicas": 7,
          "readyReplicas": 6,
          "regions": [
            { "name": "eu", "replicas": 3, "readyReplicas": 3, "updatedReplicas": 3 },
            { "name": "us", "replicas": 2, "readyReplicas": 1, "updatedReplicas": 2 }
          ],
          "shield": { "replicas": 2, "readyReplicas": 2, "updatedReplicas": 2 },
          "conditions": [
            { "type": "Ready", "status": "False", "reason": "PodsNotReady", "message": "us: 1/2 pods ready",
              "lastTransitionTime": "2026-01-01T00:00:00Z", "observedGeneration": 1 }
          ]
        }
        """)!.AsObject();

    [Fact]
    public async Task Status_EdgeCache_PrintsRegionsConditionsAndRecentInvalidations()
    {
        await SeedEdgeCacheAsync("www", status: Status());
        for (var i = 0; i < StatusCommand.RecentInvalidations + 2; i++)
        {
            await SeedInvalidationAsync($"www-{i}", "www");
        }

        await SeedInvalidationAsync("img-0", "img");

        var result = await RunAsync("status", "www");

        Assert.True(result.ExitCode == 0, result.ToString());
        var text = result.Out;
        Assert.Contains("Name:        www\n", text, StringComparison.Ordinal);
        Assert.Contains("Namespace:   shop\n", text, StringComparison.Ordinal);
        Assert.Contains("Pods ready:  6/7\n", text, StringComparison.Ordinal);
        Assert.Matches(@"\neu\s+3\s+3\s+3\n", text);
        Assert.Matches(@"\nus\s+2\s+1\s+2\n", text);
        Assert.Matches(@"\n\(shield\)\s+2\s+2\s+2\n", text);
        Assert.Matches(@"\nReady\s+False\s+PodsNotReady\s+\d+d\s+us: 1/2 pods ready\n", text);
        var recent = text[text.IndexOf("Recent invalidations:", StringComparison.Ordinal)..];
        Assert.DoesNotContain("img-0", recent, StringComparison.Ordinal);
        Assert.Equal(StatusCommand.RecentInvalidations, recent.Split('\n').Count(l => l.StartsWith("www-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Status_NoStatusYet_SaysConditionsAreMissing()
    {
        await SeedEdgeCacheAsync("www");

        var result = await RunAsync("status", "www");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"\neu\s+3\s+-\s+-\n", result.Out);
        Assert.Contains("Conditions:  none yet (is the operator running?)", result.Out, StringComparison.Ordinal);
        Assert.Contains("Recent invalidations:  none", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_OutputJson_PrintsEdgeCacheAndItsInvalidations()
    {
        await SeedEdgeCacheAsync("www", status: Status());
        await SeedInvalidationAsync("www-0", "www");

        var result = await RunAsync("status", "www", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var items = JsonNode.Parse(result.Out)!["items"]!.AsArray();
        Assert.Equal(["EdgeCache", "Invalidation"], items.Select(i => (string?)i!["kind"]));
        Assert.Equal("6/7", (string?)items[0]!["status"]!["readyPods"]);
    }

    [Fact]
    public async Task Status_UnknownEdgeCache_ExitsNotFound()
    {
        var result = await RunAsync("status", "nope", "--namespace", "elsewhere");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Equal("error: not found: edgecaches.edgefleet.io \"nope\" not found\n", result.Error);
    }
}
