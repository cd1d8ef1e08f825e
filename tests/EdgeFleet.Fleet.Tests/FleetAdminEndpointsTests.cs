using System.Net;
using System.Net.Http.Headers;

namespace EdgeFleet.Fleet.Tests;

public sealed class FleetAdminEndpointsTests
{
    [Fact]
    public async Task OriginNotify_WithOriginToken_EdgeServesNewVersion_WrongTokenRefused()
    {
        var tokenFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(tokenFile, "origin-secret\n");
        try
        {
            using var fleet = new SmallFleet(["--lease-duration", "00:01:00", $"--EdgeFleet:OriginNotificationTokenFile={tokenFile}"], ["--lease-duration", "00:01:00"]);
            await fleet.WaitReadyAsync();
            await fleet.PutAsync("/notes/notified/a", "notified v1");
            await fleet.GetAsync("/notes/notified/a");
            Assert.Equal("notified v1", await fleet.GetAsync("/notes/notified/a"));
            await fleet.PutAsync("/notes/notified/a", "notified v2");

            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
            foreach (var token in new[] { SmallFleet.Token, "origin-secret" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, fleet.ShieldAdmin + "/admin/origin-notify")
                {
                    Content = new StringContent("{\"urls\":[\"/notes/notified/a\"]}"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await client.SendAsync(request);

                // The admin token is not the origin's credential.
                Assert.Equal(token == SmallFleet.Token ? HttpStatusCode.Unauthorized : HttpStatusCode.Accepted, response.StatusCode);
                if (token == SmallFleet.Token)
                {
                    Assert.Equal("notified v1", await fleet.GetAsync("/notes/notified/a"));
                }
            }

            await Waits.UntilAsync(async () => await fleet.GetAsync("/notes/notified/a") == "notified v2", TimeSpan.FromSeconds(20), "the notified change to reach the edge");
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }
}
