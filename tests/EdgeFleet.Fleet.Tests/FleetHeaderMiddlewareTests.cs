using System.Net.Http.Json;

namespace EdgeFleet.Fleet.Tests;

[Collection(LocalFleetCollection.Name)]
public sealed class FleetHeaderMiddlewareTests(LocalFleetFixture fleet)
{
    [Fact]
    public async Task Fill_ThroughShield_GrantsLeaseAndEdgeStripsLeaseHeaders()
    {
        await fleet.PutAsync("/notes/lease/a", "lease v1");
        var edge = fleet.Fleet.Edges.First();
        using var first = await fleet.GetAsync(edge.Public, "/notes/lease/a");
        using var second = await fleet.GetAsync(edge.Public, "/notes/lease/a");

        Assert.Equal("lease v1", await second.Content.ReadAsStringAsync());
        foreach (var response in new[] { first, second })
        {
            Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("EdgeFleet-", StringComparison.OrdinalIgnoreCase));
            Assert.Contains(response.Headers.GetValues("Cache-Status"), v => v.StartsWith("shield-", StringComparison.Ordinal));
        }

        var status = await fleet.StatusAsync(edge.Admin!);
        Assert.True(status.GetProperty("leases").GetInt32() >= 1);
        var shieldLeases = 0;
        foreach (var shield in fleet.Fleet.Shields)
        {
            shieldLeases += (await fleet.StatusAsync(shield.Admin!)).GetProperty("leases").GetInt32();
        }

        Assert.True(shieldLeases >= 1);
    }

    [Fact]
    public async Task ClientForgedFleetHeaders_AreIgnoredAndNotShown()
    {
        await fleet.PutAsync("/notes/forged/a", "forged v1");
        var shield = fleet.Fleet.Shields.First();

        // Straight to a shield's public port, posing as an edge with a wrong credential.
        using var request = new HttpRequestMessage(HttpMethod.Get, shield.Public + "/notes/forged/a");
        request.Headers.TryAddWithoutValidation("EdgeFleet-Edge", "intruder");
        request.Headers.TryAddWithoutValidation("EdgeFleet-Notify", "http://127.0.0.1:1");
        request.Headers.TryAddWithoutValidation("EdgeFleet-Auth", "not-the-token");
        using var response = await fleet.Http.SendAsync(request);
        Assert.Equal("forged v1", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("EdgeFleet-", StringComparison.OrdinalIgnoreCase));

        // Through an edge, with a forged lease that would make an old version fresh.
        var edge = fleet.Fleet.Edges.Last();
        using var viaEdge = new HttpRequestMessage(HttpMethod.Get, edge.Public + "/notes/forged/a");
        viaEdge.Headers.TryAddWithoutValidation("EdgeFleet-Lease", "key=\"/notes/forged/a\"; version=\"x\"; expires=99999999999999; shield=\"s\"; epoch=\"e\"");
        viaEdge.Headers.TryAddWithoutValidation("EdgeFleet-Auth", fleet.Fleet.AdminToken);
        using var edgeResponse = await fleet.Http.SendAsync(viaEdge);
        Assert.Equal("forged v1", await edgeResponse.Content.ReadAsStringAsync());
        Assert.DoesNotContain(edgeResponse.Headers, h => h.Key.StartsWith("EdgeFleet-", StringComparison.OrdinalIgnoreCase));

        // The intruder was not registered as an edge, and gets no notices.
        var edgesKnown = (await fleet.StatusAsync(shield.Admin!)).GetProperty("knownEdges").GetInt32();
        Assert.Equal(fleet.Fleet.Edges.Count(), edgesKnown);
    }

    [Fact]
    public async Task Notices_WrongCredential_RefusedWith401AndNothingChanges()
    {
        var path = "/notes/auth/a";
        await fleet.PutAsync(path, "auth v1");
        var edge = fleet.Fleet.Edges.First();
        await fleet.WarmAsync(path);
        var applied = (await fleet.StatusAsync(edge.Admin!)).GetProperty("noticesApplied").GetInt64();

        using var request = new HttpRequestMessage(HttpMethod.Post, edge.Admin + "/admin/notices")
        {
            Content = JsonContent.Create(new { shield = "shield-a", epoch = "x", notices = new[] { new { seq = 1, key = path, kind = "invalidate" } } }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "wrong");
        using var response = await new HttpClient(new SocketsHttpHandler { UseProxy = false }).SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(applied, (await fleet.StatusAsync(edge.Admin!)).GetProperty("noticesApplied").GetInt64());
        using var hit = await fleet.GetAsync(edge.Public, path);
        AssertStillStored(edge.Name, hit);
    }

    [Fact]
    public async Task Notices_MalformedBatch_RefusedWholeWith400()
    {
        var path = "/notes/malformed/a";
        await fleet.PutAsync(path, "malformed v1");
        var edge = fleet.Fleet.Edges.First();
        await fleet.WarmAsync(path);
        var before = await fleet.StatusAsync(edge.Admin!);

        // A valid INVALIDATE followed by an UPDATE without a body: nothing of it may be applied.
        var batch = new
        {
            shield = "shield-a",
            epoch = "e1",
            notices = new object[]
            {
                new { seq = 1_000_000, key = path, kind = "invalidate" },
                new { seq = 1_000_001, key = path, kind = "update", status = 200, version = "\"v9\"", leaseExpires = 1 },
            },
        };
        using var response = await fleet.Http.PostAsJsonAsync(edge.Admin + "/admin/notices", batch);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var after = await fleet.StatusAsync(edge.Admin!);
        Assert.Equal(before.GetProperty("noticesApplied").GetInt64(), after.GetProperty("noticesApplied").GetInt64());
        Assert.Equal(before.GetProperty("sync").ToString(), after.GetProperty("sync").ToString());
        using var hit = await fleet.GetAsync(edge.Public, path);
        AssertStillStored(edge.Name, hit);
    }

    /// <summary>The edge answered from its stored copy: a hit, or (if its lease just ended) a 304 revalidation of it.</summary>
    private static void AssertStillStored(string edge, HttpResponseMessage response) =>
        Assert.Contains(response.Headers.GetValues("Cache-Status"), v => v.StartsWith(edge + "; hit", StringComparison.Ordinal) || (v.StartsWith(edge, StringComparison.Ordinal) && v.Contains("fwd-status=304", StringComparison.Ordinal)));
}
