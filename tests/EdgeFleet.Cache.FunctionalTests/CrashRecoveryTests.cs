using System.Text;

namespace EdgeFleet.Cache.FunctionalTests;

/// <summary>Kills a real cache process with SIGKILL mid-write and checks what its successor serves.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const int SlowLength = 4 * 1024 * 1024;
    private const int Piece = 64 * 1024;

    private readonly ScratchDirectory _scratch = new("crash");

    private string DiskPath => _scratch.Path;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task KillMidWrite_Restart_TornObjectRefetchedAndCompletedObjectsHit()
    {
        var slow = DiskTierTests.Body(11, SlowLength);
        var large = DiskTierTests.Body(12, 1024 * 1024);
        var halfSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/small", 200, "small and complete", ("Cache-Control", "max-age=600"));
        origin.On("/large", DiskTierTests.Serve(large));
        origin.On("/slow", async context =>
        {
            var first = origin.Count("/slow") == 1;
            context.Response.Headers.CacheControl = "max-age=600";
            context.Response.ContentLength = slow.Length;
            for (var at = 0; at < slow.Length; at += Piece)
            {
                await context.Response.Body.WriteAsync(slow.AsMemory(at, Piece));
                await context.Response.Body.FlushAsync();
                if (first && at >= SlowLength / 2)
                {
                    // Half the body is out: hold the rest until the cache is gone.
                    halfSent.TrySetResult();
                    await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                }
            }
        });

        await using (var doomed = await StartAsync(origin.Url))
        {
            Assert.Equal("small and complete", await doomed.Client.GetStringAsync("/small"));
            Assert.Equal(large, await doomed.Client.GetByteArrayAsync("/large"));
            await DiskTierTests.WaitForAsync(() => ObjectFiles().Length == 2);

            using var torn = await doomed.Client.GetAsync("/slow", HttpCompletionOption.ResponseHeadersRead);
            await halfSent.Task.WaitAsync(TimeSpan.FromSeconds(30));

            // The fill goes at the client's pace: read the first half, or on a busy machine the
            // socket buffers may hold the rest of it back from the disk.
            await using var body = await torn.Content.ReadAsStreamAsync();
            var received = 0;
            var sink = new byte[Piece];
            while (received < SlowLength / 2)
            {
                var read = await body.ReadAsync(sink).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
                Assert.NotEqual(0, read);
                received += read;
            }

            await DiskTierTests.WaitForAsync(() => TempFiles().Any(f => new FileInfo(f).Length >= SlowLength / 2));
            await doomed.KillAsync();
        }

        Assert.NotEmpty(TempFiles());
        Assert.Equal(2, ObjectFiles().Length);

        await using var successor = await StartAsync(origin.Url);
        Assert.Empty(TempFiles());

        using (var refetched = await successor.Client.GetAsync("/slow"))
        {
            Assert.Equal(slow, await refetched.Content.ReadAsByteArrayAsync());
            Assert.Contains("fwd=uri-miss", refetched.Headers.GetValues("Cache-Status").Last(), StringComparison.Ordinal);
        }

        using (var small = await successor.Client.GetAsync("/small"))
        {
            Assert.Equal("small and complete", await small.Content.ReadAsStringAsync());
            Assert.Contains("hit", small.Headers.GetValues("Cache-Status").Last(), StringComparison.Ordinal);
        }

        using (var hit = await successor.Client.GetAsync("/large"))
        {
            Assert.Equal(large, await hit.Content.ReadAsByteArrayAsync());
            Assert.Contains("hit", hit.Headers.GetValues("Cache-Status").Last(), StringComparison.Ordinal);
        }

        Assert.Equal(2, origin.Count("/slow"));
        Assert.Equal(1, origin.Count("/small"));
        Assert.Equal(1, origin.Count("/large"));
    }

    [Fact]
    public async Task CorruptedBetweenProcessRuns_RefetchedAndCounted()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/c", 200, "original bytes of a small object", ("Cache-Control", "max-age=600"));
        await using (var first = await StartAsync(origin.Url))
        {
            Assert.Equal("original bytes of a small object", await first.Client.GetStringAsync("/c"));
            await DiskTierTests.WaitForAsync(() => ObjectFiles().Length == 1);
            await first.KillAsync();
        }

        var file = Assert.Single(ObjectFiles());
        var bytes = await File.ReadAllBytesAsync(file);
        var at = bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes("original bytes"));
        Assert.True(at > 0);
        DiskTierTests.FlipByte(file, at);

        await using var second = await StartAsync(origin.Url);
        using var response = await second.Client.GetAsync("/c");

        Assert.Equal("original bytes of a small object", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, origin.Count("/c"));
        Assert.Contains("edgefleet_storage_corrupt_objects_total 1", await second.Admin.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    private string[] ObjectFiles() =>
        Directory.Exists(Path.Combine(DiskPath, "objects")) ? Directory.GetFiles(Path.Combine(DiskPath, "objects"), "*", SearchOption.AllDirectories) : [];

    private string[] TempFiles() =>
        Directory.Exists(Path.Combine(DiskPath, "tmp")) ? Directory.GetFiles(Path.Combine(DiskPath, "tmp")) : [];

    private Task<CacheProcess> StartAsync(string originUrl) =>
        CacheProcess.StartAsync("--origin", originUrl, "--disk-path", DiskPath, "--disk-size", "64MiB", "--memory-size", "1MiB");
}
