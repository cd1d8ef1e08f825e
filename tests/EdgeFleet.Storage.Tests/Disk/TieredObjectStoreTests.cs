using System.Text;
using EdgeFleet.Storage.Disk;
using EdgeFleet.Storage.Eviction;

namespace EdgeFleet.Storage.Tests.Disk;

public sealed class TieredObjectStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TryGet_SmallObjectOnlyOnDisk_IsPromotedToMemory()
    {
        var meta = Encoding.UTF8.GetBytes("m");
        Open().Put("/small", meta, new byte[500], ["t"]);
        var restarted = Open();
        Assert.Equal(0, restarted.Memory.Count);

        Assert.True(restarted.TryGet("/small", out var stored));

        Assert.Null(stored.External);
        Assert.Equal(500, stored.Body.Length);
        Assert.True(restarted.Memory.TryGet("/small", out _));
    }

    [Fact]
    public async Task BeginWrite_ObjectLargerThanMemoryLimit_LivesOnDiskOnly()
    {
        var store = Open();
        var body = new byte[300_000];
        new Random(1).NextBytes(body);
        using (var writer = store.BeginWrite("/large", Encoding.UTF8.GetBytes("m"), [], null))
        {
            await writer.WriteAsync(body, CancellationToken.None);
            Assert.True(await writer.CommitAsync(CancellationToken.None));
        }

        Assert.False(store.Memory.TryGet("/large", out _));
        Assert.True(store.TryGet("/large", out var stored));
        Assert.NotNull(stored.External);
        await using var range = await stored.External.OpenAsync(299_990, 10, CancellationToken.None);
        var tail = new byte[10];
        await range.ReadExactlyAsync(tail);
        Assert.Equal(body[^10..], tail);
    }

    [Fact]
    public void Remove_ObjectInBothTiers_RemovesBoth()
    {
        var store = Open();
        store.Put("/both", ReadOnlyMemory<byte>.Empty, new byte[10], []);
        Assert.True(store.Memory.TryGet("/both", out _));

        Assert.True(store.Remove("/both"));
        Assert.False(store.TryGet("/both", out _));
        Assert.Equal(0, store.Disk.Count);
    }

    private TieredObjectStore Open()
    {
        var disk = new DiskObjectStore(new DiskObjectStoreOptions { Path = _dir.Path, Capacity = 16 * 1024 * 1024, WholeReadLimit = 64 * 1024 }, TimeProvider.System);
        return new TieredObjectStore(new MemoryObjectStore(EvictionPolicyFactory.Create("lru", 1024 * 1024)), disk, 64 * 1024);
    }
}
