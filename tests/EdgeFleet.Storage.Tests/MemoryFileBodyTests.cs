using EdgeFleet.Storage.Eviction;

namespace EdgeFleet.Storage.Tests;

/// <summary>
/// Large memory-tier bodies in memory files (<see cref="MemoryFileBody"/>): what the store keeps,
/// what it charges, and that a body leaves only after the readers that hold it.
/// </summary>
public sealed class MemoryFileBodyTests
{
    private static readonly string[] NoTags = [];

    [Fact]
    public async Task LargeBody_KeptInAMemoryFile_ReadWholeAndInRanges()
    {
        var store = new MemoryObjectStore(EvictionPolicyFactory.Create("lru", 64L * 1024 * 1024));
        var data = Bytes(MemoryFileBody.MinimumBytes + 4097, seed: 3);

        Assert.True(store.Put("k", "meta"u8.ToArray(), data, NoTags));

        Assert.True(store.TryGet("k", out var stored));
        var file = Assert.IsType<MemoryFileBody>(stored.External);
        Assert.True(stored.Body.IsEmpty);
        Assert.Equal(data.Length, stored.BodyLength);
        Assert.Equal(data, await ReadAsync(file, 0, data.Length));
        Assert.Equal(data[5000..265000], await ReadAsync(file, 5000, 260000));
        Assert.Empty(await ReadAsync(file, data.Length, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await file.OpenAsync(1, data.Length, CancellationToken.None));
    }

    [Fact]
    public void LargeBody_ChargedInWholePages()
    {
        var store = new MemoryObjectStore(EvictionPolicyFactory.Create("lru", 64L * 1024 * 1024));
        var length = MemoryFileBody.MinimumBytes + 1;

        store.Put("k", "meta"u8.ToArray(), new byte[length], NoTags);

        Assert.True(store.TryGet("k", out var stored));
        var pages = (length + 4095) / 4096 * 4096;
        Assert.Equal(pages, ((MemoryFileBody)stored.External!).Charged);
        Assert.Equal(stored.Size, store.Bytes);
        Assert.True(store.Bytes > pages);
    }

    [Theory]
    [InlineData(MemoryFileBody.MinimumBytes - 1, null)]
    [InlineData(MemoryFileBody.MinimumBytes, 0L)]
    public void BelowTheMinimum_OrWithFilesTurnedOff_BodyStaysAnArray(int length, long? maxFiles)
    {
        var store = new MemoryObjectStore(EvictionPolicyFactory.Create("lru", 64L * 1024 * 1024), maxFiles);
        var data = Bytes(length, seed: 4);

        store.Put("k", ReadOnlyMemory<byte>.Empty, data, NoTags);

        Assert.True(store.TryGet("k", out var stored));
        Assert.Null(stored.External);
        Assert.Equal(data, stored.Body.ToArray());
    }

    [Fact]
    public void FilesAtTheLimit_NextBodyIsAnArray_UntilOneLeaves()
    {
        var size = MemoryFileBody.MinimumBytes;
        var store = new MemoryObjectStore(EvictionPolicyFactory.Create("lru", 64L * 1024 * 1024), maxFiles: 2);
        Assert.True(MemoryFileBody.DefaultMaxFiles > 0);

        foreach (var key in new[] { "a", "b", "c" })
        {
            store.Put(key, ReadOnlyMemory<byte>.Empty, Bytes(size, seed: key[0]), NoTags);
        }

        Assert.Equal(2, store.Files);
        Assert.True(store.TryGet("c", out var c));
        Assert.Null(c.External);
        Assert.Equal(Bytes(size, seed: 'c'), c.Body.ToArray());

        store.Remove("a");
        store.Put("d", ReadOnlyMemory<byte>.Empty, Bytes(size, seed: 'd'), NoTags);
        Assert.True(store.TryGet("d", out var d));
        Assert.IsType<MemoryFileBody>(d.External);
        Assert.Equal(2, store.Files);
    }

    [Fact]
    public void File_IsSealed_AgainstWritesAndResizing()
    {
        var file = MemoryFileBody.TryCreate(Bytes(8192, seed: 5));

        Assert.NotNull(file);
        Assert.Throws<UnauthorizedAccessException>(() => RandomAccess.Write(file.Handle, new byte[] { 1 }, 0));
        Assert.Throws<UnauthorizedAccessException>(() => RandomAccess.SetLength(file.Handle, 4096));
        Assert.Equal(8192, RandomAccess.GetLength(file.Handle));
    }

    [Fact]
    public async Task Removed_ReaderThatHoldsItFinishes_LaterReadersAreTurnedAway()
    {
        var store = new MemoryObjectStore(EvictionPolicyFactory.Create("lru", 64L * 1024 * 1024));
        var data = Bytes(MemoryFileBody.MinimumBytes * 2, seed: 6);
        store.Put("k", ReadOnlyMemory<byte>.Empty, data, NoTags);
        Assert.True(store.TryGet("k", out var stored));
        var file = (MemoryFileBody)stored.External!;
        var early = await file.OpenAsync(0, data.Length, CancellationToken.None);
        Assert.True(file.TryAcquire());

        Assert.True(store.Remove("k"));

        // Both holds taken before the removal still read the whole body.
        using (var copy = new MemoryStream())
        {
            await early.CopyToAsync(copy);
            Assert.Equal(data, copy.ToArray());
        }

        var buffer = new byte[data.Length];
        Assert.Equal(data.Length, RandomAccess.Read(file.Handle, buffer, 0));
        Assert.Equal(data, buffer);
        file.ReleaseAcquired();
        await early.DisposeAsync();

        Assert.False(file.TryAcquire());
        await Assert.ThrowsAsync<IOException>(async () => await file.OpenAsync(0, 1, CancellationToken.None));
        Assert.True(file.Handle.IsClosed);
    }

    [Fact]
    public void Evicted_OrReplaced_FileLetGo_MetadataUpdateKeepsIt()
    {
        var size = MemoryFileBody.MinimumBytes;
        var store = new MemoryObjectStore(EvictionPolicyFactory.Create("lru", (size * 2) + (size / 2)));
        store.Put("a", ReadOnlyMemory<byte>.Empty, Bytes(size, seed: 1), NoTags);
        Assert.True(store.TryGet("a", out var a));
        store.Put("b", ReadOnlyMemory<byte>.Empty, Bytes(size, seed: 2), NoTags);
        Assert.True(store.TryGet("b", out var b));

        // A metadata update makes a new object over the same file: the file stays.
        Assert.True(store.UpdateMetadata("b", "new"u8.ToArray()));
        Assert.True(store.TryGet("b", out var updated));
        Assert.Same(b.External, updated.External);
        Assert.False(((MemoryFileBody)b.External!).Handle.IsClosed);

        // A third body evicts the least recently used (a); a new body for b replaces its file.
        store.Put("c", ReadOnlyMemory<byte>.Empty, Bytes(size, seed: 3), NoTags);
        store.Put("b", ReadOnlyMemory<byte>.Empty, Bytes(size, seed: 4), NoTags);

        Assert.False(store.TryGet("a", out _));
        Assert.True(((MemoryFileBody)a.External!).Handle.IsClosed);
        Assert.True(((MemoryFileBody)b.External!).Handle.IsClosed);
        Assert.True(store.TryGet("b", out var current));
        Assert.False(((MemoryFileBody)current.External!).Handle.IsClosed);
    }

    private static byte[] Bytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static async Task<byte[]> ReadAsync(MemoryFileBody file, long offset, long count)
    {
        await using var stream = await file.OpenAsync(offset, count, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
