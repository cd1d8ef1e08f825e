using System.Net.Http.Json;

namespace EdgeFleet.Fleet.Tests;

[Collection(LocalFleetCollection.Name)]
public sealed class EdgeNoticeApplierTests(LocalFleetFixture fleet)
{
    [Fact]
    public async Task Apply_InvalidateOfTheChangeAnUpdatePushed_KeepsThePushedVersion()
    {
        var path = "/notes/applier/" + Guid.NewGuid().ToString("n")[..8];
        var edge = fleet.Fleet.Edges.First();
        var epoch = Guid.NewGuid().ToString("n");

        // The owner pushes the new version of change c1; a second shield (one that restarted, say)
        // then broadcasts an INVALIDATE of the same change.
        await PostAsync(edge.Admin!, "shield-owner", epoch, Update(1, path, "c1", "pushed v9"));
        await PostAsync(edge.Admin!, "shield-other", epoch, new { seq = 1, key = path, change = "c1", kind = "invalidate" });

        using (var hit = await fleet.GetAsync(edge.Public, path))
        {
            Assert.Equal("pushed v9", await hit.Content.ReadAsStringAsync());
            Assert.StartsWith(edge.Name + "; hit", string.Join(" | ", hit.Headers.GetValues("Cache-Status")), StringComparison.Ordinal);
        }

        // An INVALIDATE of a later change removes it.
        await PostAsync(edge.Admin!, "shield-other", epoch, new { seq = 2, key = path, change = "c2", kind = "invalidate" });
        using var miss = await fleet.GetAsync(edge.Public, path);
        Assert.DoesNotContain(miss.Headers.GetValues("Cache-Status"), v => v.StartsWith(edge.Name + "; hit", StringComparison.Ordinal));
    }

    private static object Update(long seq, string path, string change, string body) => new
    {
        seq,
        key = path,
        change,
        kind = "update",
        status = 200,
        version = "\"v9\"",
        leaseExpires = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds(),
        headers = new[] { new[] { "Content-Type", "text/plain" }, new[] { "Cache-Control", "max-age=3600" }, new[] { "ETag", "\"v9\"" } },
        body = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(body)),
    };

    private async Task PostAsync(string admin, string shield, string epoch, object notice)
    {
        using var response = await fleet.Http.PostAsJsonAsync(admin + "/admin/notices", new { shield, epoch, notices = new[] { notice } });
        response.EnsureSuccessStatusCode();
    }
}
