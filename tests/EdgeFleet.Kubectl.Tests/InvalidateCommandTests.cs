using System.Text.Json.Nodes;
using EdgeFleet.Kubernetes;

namespace EdgeFleet.Kubectl.Tests;

public sealed class InvalidateCommandTests : PluginFixture
{
    [Fact]
    public async Task Invalidate_UrlsPrefixesAndTags_CreatesInvalidationWithThatSpec()
    {
        await SeedEdgeCacheAsync("www");

        var result = await RunAsync("invalidate", "www", "--url", "/index.html", "--url", "https://www.example.com/app.js",
            "--prefix", "/news/", "--tag", "product-1234", "--soft");

        Assert.True(result.ExitCode == 0, result.ToString());
        var created = Assert.Single(Server.List(ResourceType.Invalidations));
        var name = created.Name()!;
        Assert.StartsWith("www-", name, StringComparison.Ordinal);
        Assert.True(name.Length > "www-".Length, name);
        Assert.Equal($"invalidation.edgefleet.io/{name} created\n", result.Out);
        Assert.Equal(Namespace, created.Namespace());
        Assert.Equal("www-", (string?)created.Metadata()["generateName"]);
        var expected = JsonNode.Parse("""
            {
              "edgeCacheRef": { "name": "www" },
              "mode": "soft",
              "urls": ["/index.html", "https://www.example.com/app.js"],
              "prefixes": ["/news/"],
              "tags": ["product-1234"]
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, created["spec"]), created["spec"]!.ToJsonString());
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Invalidate_WithoutSoft_AsksForHardMode()
    {
        await SeedEdgeCacheAsync("www");

        var result = await RunAsync("invalidate", "www", "--tag", "t1", "-n", Namespace);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("hard", (string?)Assert.Single(Server.List(ResourceType.Invalidations))["spec"]!["mode"]);
    }

    [Fact]
    public async Task Invalidate_Wait_FollowsStatusUntilComplete()
    {
        await SeedEdgeCacheAsync("www");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        var run = RunAsync(["invalidate", "www", "--prefix", "/news/", "--wait", "--timeout", "1m"], timeout.Token);
        var name = (await CreatedInvalidationAsync()).Name()!;
        await SetStatusAsync(name, "InProgress", 1, 3);
        await SetStatusAsync(name, "InProgress", 2, 3);
        await SetStatusAsync(name, "Complete", 3, 3);
        var result = await run;

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"invalidation.edgefleet.io/{name} created", lines[0]);
        Assert.Equal($"invalidation.edgefleet.io/{name} complete", lines[^1]);
        Assert.Equal($"{name}: Complete: 3/3 acknowledged", lines[^2]);
        // Progress lines come in order; a change the watch coalesced may be missing, none may be invented.
        var progress = lines[1..^1];
        Assert.Equal($"{name}: Pending: 0/0 acknowledged", progress[0]);
        Assert.All(progress, line => Assert.Matches($@"^{name}: (Pending: 0/0|InProgress: [12]/3|Complete: 3/3) acknowledged$", line));
        Assert.Equal(progress.Distinct().Count(), progress.Length);
    }

    [Fact]
    public async Task Invalidate_WaitWhenWatchEndsAndHistoryIsGone_ResumesFromFreshReadAndCompletes()
    {
        await SeedEdgeCacheAsync("www");

        var run = RunAsync("invalidate", "www", "--url", "/a", "--wait", "--timeout", "1m");
        var name = (await CreatedInvalidationAsync()).Name()!;
        await WatchCountAsync(1);
        await SetStatusAsync(name, "InProgress", 1, 2);
        // An API server restart: every watch ends, and the resourceVersion to resume from is compacted away.
        Server.DisconnectWatches();
        Server.CompactHistory();
        await SetStatusAsync(name, "Complete", 2, 2);
        var result = await run;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{name}: Complete: 2/2 acknowledged", result.Out, StringComparison.Ordinal);
        Assert.True(WatchRequests() >= 2, "the waiter did not watch again after the stream ended");
    }

    [Fact]
    public async Task Invalidate_UnknownContext_ExitsApiErrorNamingTheKubeconfig()
    {
        var result = await RunAsync("invalidate", "www", "--url", "/a", "--context", "nope");

        Assert.Equal(ExitCodes.ApiError, result.ExitCode);
        Assert.StartsWith("error: kubeconfig: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("nope", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalidate_WaitOutputJson_PrintsCompletedObjectOnStdoutAndProgressOnStderr()
    {
        await SeedEdgeCacheAsync("www");

        var run = RunAsync("invalidate", "www", "--url", "/a", "--wait", "-o", "json");
        var name = (await CreatedInvalidationAsync()).Name()!;
        await SetStatusAsync(name, "Complete", 2, 2);
        var result = await run;

        Assert.True(result.ExitCode == 0, result.ToString());
        var printed = JsonNode.Parse(result.Out)!;
        Assert.Equal(name, (string?)printed["metadata"]!["name"]);
        Assert.Equal("Complete", (string?)printed["status"]!["phase"]);
        Assert.Contains($"{name}: Complete: 2/2 acknowledged", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalidate_WaitAndNoProgress_ExitsTimedOut()
    {
        await SeedEdgeCacheAsync("www");

        var run = RunAsync("invalidate", "www", "--url", "/a", "--wait", "--timeout", "1s");
        var name = (await CreatedInvalidationAsync()).Name()!;
        await SetStatusAsync(name, "InProgress", 1, 4);
        var result = await run;

        Assert.Equal(ExitCodes.TimedOut, result.ExitCode);
        Assert.Equal(
            $"error: timed out: invalidation \"{name}\" is still InProgress: 1/4 acknowledged after 1s; it goes on in the cluster\n",
            result.Error);
    }

    [Fact]
    public async Task Invalidate_WaitAndFailed_ExitsWithFailureMessage()
    {
        await SeedEdgeCacheAsync("www");

        var run = RunAsync("invalidate", "www", "--url", "/a", "--wait");
        var name = (await CreatedInvalidationAsync()).Name()!;
        await SetStatusAsync(name, "Failed", 0, 2, failure: "shield www-shield-0 did not answer");
        var result = await run;

        Assert.Equal(ExitCodes.InvalidationFailed, result.ExitCode);
        Assert.Equal($"error: invalidation \"{name}\" failed: shield www-shield-0 did not answer\n", result.Error);
    }

    [Fact]
    public async Task Invalidate_UnknownEdgeCache_ExitsNotFoundAndCreatesNothing()
    {
        var result = await RunAsync("invalidate", "nope", "--url", "/a");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Equal("error: not found: edgecaches.edgefleet.io \"nope\" not found\n", result.Error);
        Assert.Empty(Server.List(ResourceType.Invalidations));
    }

    [Fact]
    public async Task Invalidate_UserMayNotCreateInvalidations_SaysForbiddenPlainly()
    {
        await SeedEdgeCacheAsync("www");
        Server.AddUser("viewer-token", "viewer");
        Server.Authorize = request => request.User == "admin" || request.Verb is "get" or "list" or "watch";

        var result = await RunAsync("invalidate", "www", "--url", "/a", "--kubeconfig", KubeconfigFor("viewer-token", "viewer"));

        Assert.Equal(ExitCodes.Forbidden, result.ExitCode);
        Assert.Equal(
            "error: forbidden: User \"viewer\" cannot create resource \"invalidations\" in API group \"edgefleet.io\" in the namespace \"shop\"\n",
            result.Error);
        Assert.Equal("", result.Out);
        Assert.Empty(Server.List(ResourceType.Invalidations));
    }

    [Fact]
    public async Task Invalidate_UnknownToken_ExitsForbiddenAsUnauthorized()
    {
        var result = await RunAsync("invalidate", "www", "--url", "/a", "--kubeconfig", KubeconfigFor("stolen", "stolen"));

        Assert.Equal(ExitCodes.Forbidden, result.ExitCode);
        Assert.StartsWith("error: unauthorized:", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "invalidate", "www" }, "at least one --url, --prefix or --tag")]
    [InlineData(new[] { "invalidate", "--url", "/a" }, "Required argument missing")]
    [InlineData(new[] { "invalidate", "www", "--url", "/a", "--timeout", "soon" }, "--timeout: \"soon\" is not a duration")]
    [InlineData(new[] { "invalidate", "www", "--url", "/a", "-A" }, "--all-namespaces does not apply to invalidate")]
    [InlineData(new[] { "invalidate", "www", "--url", "/a", "-o", "xml" }, "unknown output format \"xml\"")]
    [InlineData(new[] { "invalidate", "www", "--url", "/a", "--bogus" }, "--bogus")]
    public async Task Invalidate_BadCommandLine_ExitsUsageWithOneLine(string[] args, string expected)
    {
        await SeedEdgeCacheAsync("www");

        var result = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(Server.List(ResourceType.Invalidations));
    }

    [Fact]
    public async Task Invalidate_ObjectTheCrdRefuses_ExitsApiErrorWithServerMessage()
    {
        await SeedEdgeCacheAsync("www");

        var result = await RunAsync("invalidate", "www", "--url", "not a url");

        Assert.Equal(ExitCodes.ApiError, result.ExitCode);
        Assert.StartsWith("error: Invalid: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("spec.urls[0]", result.Error, StringComparison.Ordinal);
    }

    private int WatchRequests() =>
        Server.Requests.Count(r => r.Path.EndsWith("/invalidations", StringComparison.Ordinal) && r.Query.Contains("watch=1", StringComparison.Ordinal));

    private async Task WatchCountAsync(int count)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (WatchRequests() < count)
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}
