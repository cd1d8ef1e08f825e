using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using EdgeFleet.Storage;
using EdgeFleet.Storage.Disk;
using EdgeFleet.Storage.Eviction;

// Measures the disk tier's memory per object and its start-up index rebuild time:
//   dotnet run -c Release --project bench/EdgeFleet.Bench.DiskIndex -- [objects] [body-bytes] [directory]
// It fills a directory with that many small objects (through the store's own writer, without
// flushing each file, which only a benchmark may skip), then opens a second store on it and
// reports the rebuild time and the managed heap the open store holds per object. The same keys
// in a bare default eviction policy are the baseline, since the policy is the disk tier's index.
// The page cache is warm (the files were just written), as after a process restart on the same
// node; a cold start after a reboot reads more from the device.
// "checksum" compares the object checksum (CRC-32C) with SHA-256 over the same 64 MiB.
if (args is ["checksum", ..])
{
    var data = new byte[64 << 20];
    new Random(3).NextBytes(data);
    var crc = Bench.Throughput(() => Crc32C.Compute(data), data.Length);
    var sha = Bench.Throughput(() => System.Security.Cryptography.SHA256.HashData(data), data.Length);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CRC-32C  {crc:F2} GB/s\nSHA-256  {sha:F2} GB/s\nratio    {crc / sha:F1}"));
    return;
}

// "policy [objects]" measures only the bare policy (no files), in seconds.
if (args is ["policy", ..])
{
    var keys = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bare default policy          {Bench.PolicyAlone(1L << 40, keys, 512) / (double)keys:F1} B per key at {keys:N0} keys"));
    return;
}

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var bodyBytes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 512;
var directory = args.Length > 2 ? args[2] : Path.Combine(Path.GetTempPath(), "edgefleet-bench-diskindex");

// Room for every file and the store's write reserve. A directory left by an earlier run is
// reused (only missing objects are written): filling a million files takes minutes here.
var capacity = (count * (bodyBytes + 600L) * 2) + (4L << 30);
var (fill, fileBytes) = Bench.Fill(directory, capacity, count, bodyBytes);
var (rebuild, storeBytes) = Bench.Rebuild(directory, capacity, count, bodyBytes);
var policyBytes = Bench.PolicyAlone(capacity, count, bodyBytes);

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"objects                      {count:N0} ({bodyBytes} B bodies, {fileBytes / (double)count:F0} B per file)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fill (no fsync, {Environment.ProcessorCount} threads)   {fill.TotalSeconds:F1} s (missing objects only)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"index rebuild on open        {rebuild.TotalSeconds:F1} s ({count / rebuild.TotalSeconds:N0} files/s, warm page cache)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"disk tier memory per object  {storeBytes / (double)count:F1} B (managed heap held by the open store)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  bare default policy        {policyBytes / (double)count:F1} B (the same keys in {EvictionPolicyFactory.DefaultPolicyName} alone)"));
Console.WriteLine($"(the objects stay in {directory} for the next run; delete it when done)");

internal static class Bench
{
    public static string KeyOf(int i) => $"/bench/objects/{i:D8}/image.jpg?v=3";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static (TimeSpan Elapsed, long Bytes) Fill(string directory, long capacity, int count, int bodyBytes)
    {
        var metadata = new byte[200];
        var body = new byte[bodyBytes];
        new Random(1).NextBytes(metadata);
        new Random(2).NextBytes(body);
        var clock = Stopwatch.StartNew();
        var store = new DiskObjectStore(Options(directory, capacity, sync: false), TimeProvider.System);
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var hash = KeyHash.Of(KeyOf(i)).ToString("x16", CultureInfo.InvariantCulture);
            if (!File.Exists(Path.Combine(directory, "objects", hash[..2], hash)) && !store.Put(KeyOf(i), metadata, body, []))
            {
                throw new InvalidOperationException($"object {i} was not stored: {store.Problem ?? "declined"}, {store.Count} objects, {store.Bytes} bytes");
            }
        });
        return (clock.Elapsed, store.Bytes);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static (TimeSpan Elapsed, long HeapBytes) Rebuild(string directory, long capacity, int count, int bodyBytes)
    {
        var before = Settle();
        var clock = Stopwatch.StartNew();
        var store = new DiskObjectStore(Options(directory, capacity, sync: true), TimeProvider.System);
        var elapsed = clock.Elapsed;
        var heap = Settle() - before;
        if (store.Count != count || !store.TryGet(KeyOf(42), out var probe) || probe.Body.Length != bodyBytes)
        {
            throw new InvalidOperationException($"rebuilt {store.Count} of {count} objects, or could not read one back");
        }

        GC.KeepAlive(store);
        return (elapsed, heap);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long PolicyAlone(long capacity, int count, int bodyBytes)
    {
        var before = Settle();
        var policy = EvictionPolicyFactory.Create(EvictionPolicyFactory.DefaultName, capacity);
        var evicted = new List<ulong>();
        for (var i = 0; i < count; i++)
        {
            policy.TryInsert(KeyHash.Of(KeyOf(i)), bodyBytes + 600, evicted);
        }

        var heap = Settle() - before;
        GC.KeepAlive(policy);
        return heap;
    }

    /// <summary>The best of five runs, in GB/s.</summary>
    public static double Throughput(Action run, long bytes)
    {
        var best = double.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return bytes / best / 1e9;
    }

    private static DiskObjectStoreOptions Options(string directory, long capacity, bool sync) => new()
    {
        Path = directory,
        Capacity = capacity,
        SyncWrites = sync,
        VariantSeparator = '\u0001',
    };

    private static long Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
