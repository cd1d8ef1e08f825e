using EdgeFleet.Http;
using EdgeFleet.Storage;
using EdgeFleet.Storage.Disk;
using EdgeFleet.Storage.Eviction;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache;

/// <summary>
/// Builds the store from the options: the memory tier alone, or the memory tier over a disk
/// tier when <c>DiskPath</c> is set, and wires the disk tier's metrics, readiness note and logs.
/// </summary>
internal static class ObjectStoreFactory
{
    public static IObjectStore Create(IServiceProvider services)
    {
        var o = services.GetRequiredService<IOptions<CacheServerOptions>>().Value;
        // Memory files pay off only where hits are sent with sendfile (the direct path); Kestrel
        // would copy them out through a stream in pieces, slower than one write of an array.
        var memory = new MemoryObjectStore(EvictionPolicyFactory.Create(o.EvictionPolicy, o.MemoryBytes), o.DirectHits ? null : 0);
        if (!o.HasDisk)
        {
            return memory;
        }

        // Opening rebuilds the index from the files on disk before the pod starts serving, so a
        // restarted pod serves what it had; a disk that cannot be used leaves the tier empty and
        // reported, never a failed start.
        var disk = new DiskObjectStore(
            new DiskObjectStoreOptions
            {
                Path = o.DiskPath!,
                Capacity = o.DiskBytes,
                EvictionPolicy = o.EvictionPolicy,
                VariantSeparator = CacheKey.VariantSeparator,
                WholeReadLimit = o.MemoryObjectBytes,
            },
            services.GetRequiredService<TimeProvider>());
        return new TieredObjectStore(memory, disk, o.MemoryObjectBytes);
    }

    /// <summary>Registers the disk tier's instruments and readiness note (after the exporter listens).</summary>
    public static void AttachDisk(IServiceProvider services)
    {
        if (services.GetRequiredService<IObjectStore>() is not TieredObjectStore { Disk: var disk })
        {
            return;
        }

        _ = new DiskMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), disk);
        services.GetRequiredService<Readiness>().AddDegradation(() => disk.Problem is { } problem ? "disk: " + problem : null);
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeFleet.Cache.Disk");
        if (disk.Problem is { } failed)
        {
            DiskLog.Unusable(logger, disk.RootPath, failed);
        }
        else
        {
            DiskLog.Opened(logger, disk.RootPath, disk.Count, disk.Bytes, disk.Capacity, disk.DiscardedFiles, disk.RebuildTime.TotalSeconds);
        }
    }
}
