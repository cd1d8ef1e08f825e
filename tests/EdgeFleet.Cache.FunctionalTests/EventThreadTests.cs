using System.Net;
using System.Text;

namespace EdgeFleet.Cache.FunctionalTests;

/// <summary>
/// The cache program in its default event-loop mode (<see cref="IoThreads"/>): memory hits are
/// answered on the runtime's event threads, and disk hits, ranges, misses and admin requests,
/// which may block, must all still be answered whole while they run side by side.
/// </summary>
public sealed class EventThreadTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("event");

    private string DiskPath => _scratch.Path;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task MixedLoad_OnEventThreads_EveryAnswerWhole()
    {
        var large = DiskTierTests.Body(21, 3 * 1024 * 1024);
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/small", 200, "small", ("Cache-Control", "max-age=600"));
        origin.On("/large", DiskTierTests.Serve(large));
        for (var i = 0; i < 20; i++)
        {
            origin.On($"/miss/{i}", 200, $"miss {i}", ("Cache-Control", "max-age=600"));
        }

        // A 1 MiB memory tier keeps objects up to 128 KiB: /large lives on disk only.
        await using var cache = await CacheProcess.StartAsync("--origin", origin.Url, "--disk-path", DiskPath, "--disk-size", "64MiB", "--memory-size", "1MiB", "--admin-token", "t");
        Assert.EndsWith("hits on event threads True", cache.StartLine, StringComparison.Ordinal);
        Assert.Equal("small", await cache.Client.GetStringAsync("/small"));
        Assert.Equal(large, await cache.Client.GetByteArrayAsync("/large"));

        var work = new List<Task>();
        for (var i = 0; i < 20; i++)
        {
            var n = i;
            work.Add(Task.Run(async () => Assert.Equal("small", await cache.Client.GetStringAsync("/small"))));
            work.Add(Task.Run(async () => Assert.Equal(large, await cache.Client.GetByteArrayAsync("/large"))));
            work.Add(Task.Run(async () => Assert.Equal($"miss {n}", await cache.Client.GetStringAsync($"/miss/{n}"))));
            work.Add(Task.Run(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/large");
                request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1_000_000 + n, 1_000_099 + n);
                using var response = await cache.Client.SendAsync(request);
                Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
                Assert.Equal(large.AsSpan(1_000_000 + n, 100).ToArray(), await response.Content.ReadAsByteArrayAsync());
            }));
            work.Add(Task.Run(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "t");
                using var response = await cache.Admin.SendAsync(request);
                Assert.Contains("edgefleet_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }));
        }

        await Task.WhenAll(work).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, origin.Count("/small"));
        Assert.Equal(1, origin.Count("/large"));
        using var purge = new HttpRequestMessage(HttpMethod.Post, "/admin/purge") { Content = new StringContent("""{"urls":["/small"]}""", Encoding.UTF8, "application/json") };
        purge.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "t");
        using (var purged = await cache.Admin.SendAsync(purge))
        {
            Assert.True(purged.IsSuccessStatusCode);
        }

        Assert.Equal("small", await cache.Client.GetStringAsync("/small"));
        Assert.Equal(2, origin.Count("/small"));
    }

    [Fact]
    public async Task InlineCompletionsOff_WithoutEventLoops_KestrelSchedulingAsUsual()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/small", 200, "small", ("Cache-Control", "max-age=600"));
        await using var cache = await CacheProcess.StartAsync(
            new Dictionary<string, string> { [IoThreads.InlineCompletionsVariable] = "0" },
            "--origin", origin.Url, "--event-loops", "0");

        Assert.EndsWith("hits on event threads False", cache.StartLine, StringComparison.Ordinal);
        Assert.Equal("small", await cache.Client.GetStringAsync("/small"));
        Assert.Equal("small", await cache.Client.GetStringAsync("/small"));
        Assert.Equal(1, origin.Count("/small"));
    }
}
