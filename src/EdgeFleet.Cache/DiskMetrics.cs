using System.Diagnostics.Metrics;
using EdgeFleet.Storage.Disk;

namespace EdgeFleet.Cache;

/// <summary>The disk tier's instruments, observed from its counters at each scrape.</summary>
internal sealed class DiskMetrics
{
    public const string MeterName = "EdgeFleet.Storage.Disk";

    public DiskMetrics(IMeterFactory meterFactory, DiskObjectStore disk)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("edgefleet_storage_disk_objects", () => disk.Count, description: "Objects in the disk tier.");
        meter.CreateObservableGauge("edgefleet_storage_disk_bytes", () => disk.Bytes, "bytes", "File bytes the disk tier holds, files being written included.");
        meter.CreateObservableGauge("edgefleet_storage_disk_capacity_bytes", () => disk.Capacity, "bytes", "The disk tier's budget (--disk-size).");
        meter.CreateObservableCounter("edgefleet_storage_disk_evictions_total", () => disk.Evictions, description: "Objects evicted from the disk tier to make room.");
        meter.CreateObservableCounter("edgefleet_storage_corrupt_objects_total", () => disk.CorruptObjects, description: "Stored objects dropped because a checksum or a length did not match.");
        meter.CreateObservableCounter("edgefleet_storage_disk_errors_total", () => disk.Errors, description: "Failed disk operations (no space, I/O errors, no permission).");
        meter.CreateObservableGauge("edgefleet_storage_disk_healthy", () => disk.IsHealthy ? 1 : 0, description: "1 while the disk tier works, 0 while it is failing and left alone.");
    }
}
