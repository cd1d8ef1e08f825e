namespace EdgeFleet.Fleet.Tests;

[Collection(LocalFleetCollection.Name)]
public sealed class InvalidationServiceTests(LocalFleetFixture fleet)
{
    // Larger than the fixture's UpdateMaxBytes, so that these changes are INVALIDATEs.
    private static readonly string Padding = new('x', 2000);

    [Theory]
    [InlineData("url")]
    [InlineData("prefix")]
    [InlineData("tag")]
    public async Task Invalidate_ByUrlPrefixOrTag_CompletesAndEdgesServeNewVersion(string by)
    {
        var root = $"/notes/inv-{by}/";
        var paths = Enumerable.Range(0, 3).Select(i => $"{root}{i}").ToList();
        foreach (var path in paths)
        {
            await fleet.PutAsync(path, "v1 " + Padding, "tag-" + by);
            await fleet.WarmAsync(path);
        }

        foreach (var path in paths)
        {
            await fleet.PutAsync(path, "v2 " + Padding, "tag-" + by);
        }

        // Before the invalidation the edges still serve v1 (they hold leases on it).
        Assert.StartsWith("v1", await fleet.BodyAsync(fleet.Fleet.Edges.First().Public, paths[0]), StringComparison.Ordinal);

        object body = by switch
        {
            "url" => new { urls = paths },
            "prefix" => new { prefixes = new[] { root } },
            _ => new { tags = new[] { "tag-" + by } },
        };
        var id = await fleet.InvalidateAsync(body);
        var status = await fleet.WaitCompleteAsync(id);

        Assert.True(status.GetProperty("targeted").GetInt32() >= 1);
        Assert.Equal(status.GetProperty("targeted").GetInt32(), status.GetProperty("acknowledged").GetInt32() + status.GetProperty("expired").GetInt32());
        foreach (var edge in fleet.Fleet.Edges)
        {
            foreach (var path in paths)
            {
                Assert.StartsWith("v2", await fleet.BodyAsync(edge.Public, path), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Update_HotSmallObject_EdgesServeNewVersionWithoutOriginRequest()
    {
        var path = "/notes/update/a";
        await fleet.PutAsync(path, "small v1");
        await fleet.WarmAsync(path);
        await fleet.PutAsync(path, "small v2");

        var id = await fleet.InvalidateAsync(new { urls = new[] { path } });
        var completion = await fleet.WaitCompleteAsync(id);
        var completed = System.Diagnostics.Stopwatch.StartNew();
        var originBefore = await fleet.OriginRequestsAsync();
        var updates = 0L;
        foreach (var shield in fleet.Fleet.Shields)
        {
            updates += (await fleet.StatusAsync(shield.Admin!)).GetProperty("updatesSent").GetInt64();
        }

        foreach (var edge in fleet.Fleet.Edges)
        {
            using var response = await fleet.GetAsync(edge.Public, path);
            Assert.Equal("small v2", await response.Content.ReadAsStringAsync());
            var status = string.Join(" | ", response.Headers.GetValues("Cache-Status"));

            // While the pushed version's lease runs: the edge's pushed copy, even while a shield that
            // restarted broadcasts INVALIDATEs. A machine loaded enough to let a 5-second lease lapse
            // (before the change, or since) sends the edge to the shield: still a hit in the fleet.
            if (completion.GetProperty("acknowledged").GetInt32() == fleet.Fleet.Edges.Count() && completed.Elapsed < LocalFleetFixture.Lease - TimeSpan.FromSeconds(1))
            {
                Assert.True(status.StartsWith(edge.Name + "; hit", StringComparison.Ordinal), $"{edge.Name}: {status}");
            }
            else
            {
                Assert.Contains("; hit", status, StringComparison.Ordinal);
            }
        }

        Assert.True(updates >= 1);
        Assert.Equal(originBefore, await fleet.OriginRequestsAsync());
    }

    [Fact]
    public async Task Invalidate_WrongCredential_RefusedWith401()
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var content = new StringContent("{\"urls\":[\"/notes/x\"]}");
        using var request = new HttpRequestMessage(HttpMethod.Post, fleet.Fleet.Shields.First().Admin + "/admin/invalidations") { Content = content };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "wrong");
        using var response = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
