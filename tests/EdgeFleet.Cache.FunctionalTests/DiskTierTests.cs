using System.Net;
using System.Net.Http.Headers;
using EdgeFleet.Storage;

namespace EdgeFleet.Cache.FunctionalTests;

public sealed class DiskTierTests : IDisposable
{
    private const int LargeLength = 3 * 1024 * 1024;

    private readonly ScratchDirectory _scratch = new("disk-ft");

    private string DiskPath => _scratch.Path;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Restart_SameDiskPath_ServesHitWithoutOrigin()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/kept", 200, "kept across restarts", ("Cache-Control", "max-age=600"), ("ETag", "\"k1\""));
        await using (var first = await StartAsync(origin.Url))
        {
            Assert.Equal("kept across restarts", await first.Client.GetStringAsync("/kept"));
        }

        await using var second = await StartAsync(origin.Url);
        using var response = await second.Client.GetAsync("/kept");

        Assert.Equal("kept across restarts", await response.Content.ReadAsStringAsync());
        Assert.Contains("hit", response.Headers.GetValues("Cache-Status").Last(), StringComparison.Ordinal);
        Assert.Equal("\"k1\"", response.Headers.ETag!.Tag);
        Assert.Equal(1, origin.Count("/kept"));
    }

    [Fact]
    public async Task LargeObject_BiggerThanMemory_ServedIntactFromDiskWithRanges()
    {
        var body = Body(5, LargeLength);
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/large", Serve(body));
        await using var cache = await StartAsync(origin.Url);

        Assert.Equal(body, await cache.Client.GetByteArrayAsync("/large"));
        var tiered = Assert.IsType<TieredObjectStore>(cache.Store);
        await WaitForAsync(() => tiered.Disk.Count == 1);
        Assert.False(tiered.Memory.TryGet("/large", out _));

        using (var hit = await cache.Client.GetAsync("/large"))
        {
            Assert.Contains("hit", hit.Headers.GetValues("Cache-Status").Last(), StringComparison.Ordinal);
            Assert.Equal(body, await hit.Content.ReadAsByteArrayAsync());
        }

        using (var range = new HttpRequestMessage(HttpMethod.Get, "/large"))
        {
            range.Headers.Range = new RangeHeaderValue(1_000_000, 1_000_099);
            using var partial = await cache.Client.SendAsync(range);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal($"bytes 1000000-1000099/{LargeLength}", partial.Content.Headers.ContentRange!.ToString());
            Assert.Equal(body.AsSpan(1_000_000, 100).ToArray(), await partial.Content.ReadAsByteArrayAsync());
        }

        using (var ranges = new HttpRequestMessage(HttpMethod.Get, "/large"))
        {
            ranges.Headers.Range = new RangeHeaderValue();
            ranges.Headers.Range.Ranges.Add(new RangeItemHeaderValue(0, 9));
            ranges.Headers.Range.Ranges.Add(new RangeItemHeaderValue(LargeLength - 10, null));
            using var multipart = await cache.Client.SendAsync(ranges);
            Assert.Equal(HttpStatusCode.PartialContent, multipart.StatusCode);
            var content = await multipart.Content.ReadAsByteArrayAsync();
            Assert.True(content.AsSpan().IndexOf(body.AsSpan(0, 10)) > 0);
            Assert.True(content.AsSpan().IndexOf(body.AsSpan(LargeLength - 10, 10)) > 0);
            Assert.Contains($"bytes {LargeLength - 10}-{LargeLength - 1}/{LargeLength}", System.Text.Encoding.ASCII.GetString(content), StringComparison.Ordinal);
        }

        using (var head = new HttpRequestMessage(HttpMethod.Head, "/large"))
        {
            using var answer = await cache.Client.SendAsync(head);
            Assert.Equal(LargeLength, answer.Content.Headers.ContentLength);
        }

        Assert.Equal(1, origin.Count("/large"));
    }

    [Fact]
    public async Task CorruptFile_BetweenRuns_IsRefetchedAndCounted()
    {
        var body = Body(8, LargeLength);
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/damaged", Serve(body));
        await using (var first = await StartAsync(origin.Url))
        {
            Assert.Equal(body, await first.Client.GetByteArrayAsync("/damaged"));
            await WaitForAsync(() => ((TieredObjectStore)first.Store).Disk.Count == 1);
        }

        var file = Assert.Single(Directory.EnumerateFiles(Path.Combine(DiskPath, "objects"), "*", SearchOption.AllDirectories));
        FlipByte(file, 5000);

        await using var second = await StartAsync(origin.Url);
        using var response = await second.Client.GetAsync("/damaged");

        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("fwd=uri-miss", response.Headers.GetValues("Cache-Status").Last(), StringComparison.Ordinal);
        Assert.Equal(2, origin.Count("/damaged"));
        var metrics = await second.Admin.GetStringAsync("/metrics");
        Assert.Contains("edgefleet_storage_corrupt_objects_total 1", metrics, StringComparison.Ordinal);
        Assert.Equal(body, await second.Client.GetByteArrayAsync("/damaged"));
        Assert.Equal(2, origin.Count("/damaged"));
    }

    [Fact]
    public async Task UnusableDisk_ServesFromMemoryAndOriginAndReportsIt()
    {
        Directory.CreateDirectory(DiskPath);
        var blocked = Path.Combine(DiskPath, "not-a-directory");
        await File.WriteAllTextAsync(blocked, "a file where the cache directory should be");
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/m", 200, "still served", ("Cache-Control", "max-age=600"));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url, "--disk-path", blocked, "--disk-size", "64MiB");

        Assert.Equal("still served", await cache.Client.GetStringAsync("/m"));
        Assert.Equal("still served", await cache.Client.GetStringAsync("/m"));
        Assert.Equal(1, origin.Count("/m"));

        var metrics = await AssertDiskReportedAsync(cache);
        var (exitCode, lint) = await EdgeFleet.TestSupport.Promtool.CheckMetricsAsync(metrics);
        Assert.True(exitCode == 0 && lint.Trim().Length == 0, "promtool check metrics: " + lint);
    }

    [Fact]
    public async Task FileSystemFull_ServesFromMemoryAndOriginAndReportsIt()
    {
        // A real full file system: a 2 MiB tmpfs under a disk tier told it has 64 MiB.
        Directory.CreateDirectory(DiskPath);
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", DiskPath);
        try
        {
            var bodies = Enumerable.Range(0, 6).Select(i => Body(30 + i, 512 * 1024)).ToArray();
            await using var origin = await ScriptedOrigin.StartAsync();
            for (var i = 0; i < bodies.Length; i++)
            {
                origin.On($"/o{i}", Serve(bodies[i]));
            }

            await using (var cache = await CacheUnderTest.StartAsync(origin.Url, "--disk-path", DiskPath, "--disk-size", "64MiB", "--memory-size", "16MiB"))
            {
                for (var i = 0; i < bodies.Length; i++)
                {
                    Assert.Equal(bodies[i], await cache.Client.GetByteArrayAsync($"/o{i}"));
                }

                // Every object was answered whole, and memory still holds them all: hits.
                for (var i = 0; i < bodies.Length; i++)
                {
                    Assert.Equal(bodies[i], await cache.Client.GetByteArrayAsync($"/o{i}"));
                    Assert.Equal(1, origin.Count($"/o{i}"));
                }

                await AssertDiskReportedAsync(cache);
            }

            // What did reach the disk is whole: a successor serves it without the origin, and
            // nothing torn is left behind to serve.
            await using (var successor = await CacheUnderTest.StartAsync(origin.Url, "--disk-path", DiskPath, "--disk-size", "64MiB", "--memory-size", "16MiB"))
            {
                for (var i = 0; i < bodies.Length; i++)
                {
                    Assert.Equal(bodies[i], await successor.Client.GetByteArrayAsync($"/o{i}"));
                }

                var refetched = Enumerable.Range(0, bodies.Length).Sum(i => origin.Count($"/o{i}") - 1);
                Assert.InRange(refetched, 1, bodies.Length - 1);
            }
        }
        finally
        {
            await RunAsync("umount", DiskPath);
        }
    }

    /// <summary>Ready (memory and the origin still serve) but saying what is wrong with the disk, in readyz and metrics; the metrics text.</summary>
    private static async Task<string> AssertDiskReportedAsync(CacheUnderTest cache)
    {
        using var ready = await cache.Admin.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.StartsWith("ready; disk: ", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var metrics = await cache.Admin.GetStringAsync("/metrics");
        Assert.Contains("edgefleet_storage_disk_healthy 0", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("edgefleet_storage_disk_errors_total 0", metrics, StringComparison.Ordinal);
        return metrics;
    }

    private static async Task RunAsync(string command, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(command) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', args)} failed ({process.ExitCode}): {error}");
    }

    internal static byte[] Body(int seed, int length)
    {
        var body = new byte[length];
        new Random(seed).NextBytes(body);
        return body;
    }

    internal static Func<Microsoft.AspNetCore.Http.HttpContext, Task> Serve(byte[] body) => async context =>
    {
        context.Response.Headers.CacheControl = "max-age=600";
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body);
    };

    internal static void FlipByte(string file, long offset)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ 0x01));
    }

    internal static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(20);
        }
    }

    private Task<CacheUnderTest> StartAsync(string originUrl) =>
        CacheUnderTest.StartAsync(originUrl, "--disk-path", DiskPath, "--disk-size", "64MiB", "--memory-size", "1MiB");
}
