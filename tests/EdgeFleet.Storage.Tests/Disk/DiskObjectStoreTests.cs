using System.Text;
using EdgeFleet.Storage.Disk;

namespace EdgeFleet.Storage.Tests.Disk;

public sealed class DiskObjectStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ManualClock _clock = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Put_ManyObjectsOverBudget_NeverExceedsCapacityInFileBytes()
    {
        var store = Open(capacity: 1024 * 1024);
        var random = new Random(42);
        for (var i = 0; i < 400; i++)
        {
            store.Put($"/k/{random.Next(600)}", Meta(i), new byte[random.Next(1, 20_000)], []);
            Assert.True(store.Bytes <= store.Capacity, $"after put {i}: {store.Bytes} > {store.Capacity}");
        }

        Assert.Equal(_dir.ObjectFileBytes, store.Bytes);
        Assert.True(_dir.ObjectFileBytes <= store.Capacity);
        Assert.True(store.Evictions > 0);
        Assert.Equal(_dir.ObjectFiles.Count(), store.Count);
    }

    [Fact]
    public void Open_AfterPuts_RebuildsIndexAndServesTheSameObjects()
    {
        var first = Open();
        for (var i = 0; i < 20; i++)
        {
            Assert.True(first.Put($"/o/{i}", Meta(i), Body(i, 1000 + (i * 5000)), [$"t{i % 3}"]));
        }

        var second = Open();

        Assert.Equal(20, second.Count);
        Assert.Equal(first.Bytes, second.Bytes);
        for (var i = 0; i < 20; i++)
        {
            Assert.True(second.TryGet($"/o/{i}", out var stored));
            Assert.Equal(Meta(i), stored.Metadata.ToArray());
            Assert.Equal(Body(i, 1000 + (i * 5000)), stored.Body.ToArray());
            Assert.Equal([$"t{i % 3}"], stored.Tags);
        }

        Assert.Equal(7, second.KeysWithTag("t0").Count);
    }

    [Fact]
    public void Open_WithTempTruncatedAndForeignFiles_DeletesThemAndKeepsTheRest()
    {
        var first = Open();
        for (var i = 0; i < 3; i++)
        {
            first.Put($"/o/{i}", Meta(i), Body(i, 3000), []);
        }

        File.WriteAllBytes(Path.Combine(_dir.Path, "tmp", "0123456789abcdef-1.tmp"), new byte[5000]);
        var torn = FileOf(first, "/o/1");
        using (var stream = new FileStream(torn, FileMode.Open))
        {
            stream.SetLength(stream.Length - 10);
        }

        File.WriteAllBytes(Path.Combine(_dir.Path, "objects", "ab", "abababababababab"), Encoding.ASCII.GetBytes("not an object"));

        var second = Open();

        Assert.Equal(2, second.Count);
        Assert.Equal(3, second.DiscardedFiles);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_dir.Path, "tmp")));
        Assert.False(File.Exists(torn));
        Assert.False(second.TryGet("/o/1", out _));
        Assert.True(second.TryGet("/o/2", out var kept));
        Assert.Equal(Body(2, 3000), kept.Body.ToArray());
        Assert.Equal(_dir.ObjectFileBytes, second.Bytes);
    }

    [Fact]
    public void TryGet_FlippedByteInSmallObject_DropsItAndCountsIt()
    {
        var store = Open();
        store.Put("/flip", Meta(1), Body(1, 10_000), []);
        FlipByte(FileOf(store, "/flip"), fromEnd: 5000);

        Assert.False(store.TryGet("/flip", out _));
        Assert.Equal(1, store.CorruptObjects);
        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.Bytes);
        Assert.Empty(_dir.ObjectFiles);
    }

    [Fact]
    public async Task OpenAsync_CorruptChunkInLargeObject_ThrowsForThatChunkOnly()
    {
        var store = Open(wholeReadLimit: 1000);
        var body = Body(3, 5 * 65536);
        store.Put("/large", Meta(3), body, []);
        var file = FileOf(store, "/large");
        Assert.True(store.TryGet("/large", out var stored));
        var external = Assert.IsAssignableFrom<IObjectBody>(stored.External);

        // Damage chunk 4; a range inside chunks 1-2 never reads it, so it still verifies.
        FlipByte(file, fromEnd: (5 * 4) + 8 + 100);
        await using (var range = await external.OpenAsync(70_000, 100_000, CancellationToken.None))
        {
            var read = new MemoryStream();
            await range.CopyToAsync(read);
            Assert.Equal(body.AsSpan(70_000, 100_000).ToArray(), read.ToArray());
        }

        Assert.Equal(0, store.CorruptObjects);
        await Assert.ThrowsAsync<CorruptObjectException>(async () => await external.OpenAsync(4 * 65536, 10, CancellationToken.None));
        Assert.Equal(1, store.CorruptObjects);
        Assert.False(File.Exists(file));
        Assert.False(store.TryGet("/large", out _));
    }

    [Fact]
    public async Task BeginWrite_StreamedWithoutLength_CommitsAndReadsBackInRanges()
    {
        var store = Open(wholeReadLimit: 1000);
        var body = Body(9, 200_000);
        using (var writer = store.BeginWrite("/stream", Meta(9), ["a"], expectedLength: null))
        {
            for (var i = 0; i < body.Length; i += 7000)
            {
                await writer.WriteAsync(body.AsMemory(i, Math.Min(7000, body.Length - i)), CancellationToken.None);
            }

            Assert.False(store.TryGet("/stream", out _));
            Assert.True(await writer.CommitAsync(CancellationToken.None));
        }

        Assert.True(store.TryGet("/stream", out var stored));
        Assert.Equal(body.Length, stored.BodyLength);
        await using var all = await stored.External!.OpenAsync(0, body.Length, CancellationToken.None);
        var read = new MemoryStream();
        await all.CopyToAsync(read);
        Assert.Equal(body, read.ToArray());
        Assert.Equal(_dir.ObjectFileBytes, store.Bytes);
    }

    [Fact]
    public async Task Abort_MidWrite_LeavesNoFileAndNoBytes()
    {
        var store = Open();
        store.Put("/w", Meta(1), Body(1, 100), []);
        var before = store.Bytes;
        using (var writer = store.BeginWrite("/w", Meta(2), [], expectedLength: 50_000))
        {
            await writer.WriteAsync(new byte[20_000], CancellationToken.None);
            Assert.True(store.Bytes > before);
            writer.Abort();
        }

        Assert.Equal(before, store.Bytes);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_dir.Path, "tmp")));
        Assert.True(store.TryGet("/w", out var old));
        Assert.Equal(Body(1, 100), old.Body.ToArray());
    }

    [Fact]
    public async Task Commit_ShorterThanAnnounced_IsNotStored()
    {
        var store = Open();
        using var writer = store.BeginWrite("/short", Meta(1), [], expectedLength: 1000);
        await writer.WriteAsync(new byte[999], CancellationToken.None);

        Assert.False(await writer.CommitAsync(CancellationToken.None));
        Assert.False(store.TryGet("/short", out _));
        Assert.Equal(0, store.Bytes);
    }

    [Fact]
    public void InvalidateAndUpdateMetadata_SurviveReopen()
    {
        var store = Open(wholeReadLimit: 1000);
        var at = new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero);
        store.Put("/soft", Meta(1), Body(1, 100), []);
        store.Put("/big", Meta(2), Body(2, 150_000), []);
        Assert.True(store.Invalidate("/soft", at));
        Assert.True(store.UpdateMetadata("/big", Meta(7)));

        var reopened = Open(wholeReadLimit: 1000);

        Assert.True(reopened.TryGet("/soft", out var soft));
        Assert.Equal(at, soft.InvalidatedAt);
        Assert.True(reopened.TryGet("/big", out var big));
        Assert.Equal(Meta(7), big.Metadata.ToArray());
        Assert.Equal(150_000, big.BodyLength);
        Assert.Equal(_dir.ObjectFileBytes, reopened.Bytes);
    }

    [Fact]
    public void KeysWithPrefix_Variants_AnsweredAndSurviveReopen()
    {
        var store = Open();
        store.Put("/v", Meta(0), ReadOnlyMemory<byte>.Empty, []);
        store.Put("/v\u0001gzip", Meta(1), Body(1, 10), []);
        store.Put("/v\u0001br", Meta(2), Body(2, 10), []);
        store.Put("/w\u0001br", Meta(3), Body(3, 10), []);

        var reopened = Open();

        Assert.Equal(["/v\u0001br", "/v\u0001gzip"], reopened.KeysWithPrefix("/v\u0001").Order(StringComparer.Ordinal));
        Assert.Equal(3, reopened.KeysWithPrefix("/v").Count + reopened.KeysWithPrefix("/w").Count - 1);
        Assert.True(reopened.Remove("/v\u0001br"));
        Assert.Equal(["/v\u0001gzip"], reopened.KeysWithPrefix("/v\u0001"));
    }

    [Fact]
    public void Put_DirectoryUnusable_ReportsProblemWithoutThrowingAndRecoversLater()
    {
        var path = Path.Combine(_dir.Path, "blocked");
        File.WriteAllText(path, "a file where the directory should be");
        var store = new DiskObjectStore(new DiskObjectStoreOptions { Path = path, Capacity = 4 * 1024 * 1024, VariantSeparator = '\u0001' }, _clock);

        Assert.False(store.IsHealthy);
        Assert.NotNull(store.Problem);
        Assert.False(store.Put("/x", Meta(1), Body(1, 10), []));
        Assert.False(store.TryGet("/x", out _));
        Assert.True(store.Errors >= 1);

        File.Delete(path);
        Assert.False(store.Put("/x", Meta(1), Body(1, 10), []));
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.True(store.Put("/x", Meta(1), Body(1, 10), []));
        Assert.True(store.IsHealthy);
        Assert.True(store.TryGet("/x", out _));
    }

    [Fact]
    public void Put_DirectoryWipedUnderneath_ReportsProblemThenRecoversAfterRetryInterval()
    {
        var store = Open();
        Assert.True(store.Put("/before", Meta(1), Body(1, 10), []));
        Directory.Delete(_dir.Path, recursive: true);

        Assert.False(store.Put("/after", Meta(2), Body(2, 10), []));
        Assert.False(store.IsHealthy);
        Assert.False(store.TryGet("/before", out _));
        Assert.Equal(0, store.Count);

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(store.Put("/after", Meta(2), Body(2, 10), []));
        Assert.True(store.IsHealthy);
        Assert.Equal(_dir.ObjectFileBytes, store.Bytes);
    }

    [Fact]
    public void Put_LargerThanTempBudget_IsNotStored()
    {
        var store = Open(capacity: 1024 * 1024);

        Assert.False(store.Put("/huge", Meta(1), new byte[300_000], []));
        Assert.Equal(0, store.Bytes);
        Assert.True(store.IsHealthy);
    }

    private static byte[] Meta(int i) => Encoding.UTF8.GetBytes($"meta-{i}");

    private static byte[] Body(int seed, int length)
    {
        var body = new byte[length];
        new Random(seed).NextBytes(body);
        return body;
    }

    private static void FlipByte(string file, long fromEnd)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = stream.Length - fromEnd;
        var b = stream.ReadByte();
        stream.Position = stream.Length - fromEnd;
        stream.WriteByte((byte)(b ^ 0x40));
    }

    private static string FileOf(DiskObjectStore store, string key) => store.PathOf(KeyHash.Of(key));

    private DiskObjectStore Open(long capacity = 64 * 1024 * 1024, long wholeReadLimit = 1024 * 1024) =>
        new(new DiskObjectStoreOptions { Path = _dir.Path, Capacity = capacity, WholeReadLimit = wholeReadLimit, VariantSeparator = '\u0001' }, _clock);
}
