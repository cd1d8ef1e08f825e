using System.Diagnostics.CodeAnalysis;
using EdgeFleet.Storage.Disk;

namespace EdgeFleet.Storage;

/// <summary>
/// The memory tier over the disk tier. Disk holds everything admitted; memory holds small
/// objects (up to <c>memoryObjectLimit</c>) that its own policy keeps hot. A disk hit on a small
/// object, read and verified whole, is promoted to memory; a larger one is read from disk in
/// ranges, never whole. <see cref="Count"/>, <see cref="Bytes"/>, <see cref="Capacity"/> and
/// <see cref="Evictions"/> are the memory tier's; the disk tier reports its own.
/// </summary>
public sealed class TieredObjectStore(IObjectStore memory, DiskObjectStore disk, long memoryObjectLimit) : IStreamingObjectStore
{
    public IObjectStore Memory => memory;

    public DiskObjectStore Disk => disk;

    public long Count => memory.Count;

    public long Bytes => memory.Bytes;

    public long Capacity => memory.Capacity;

    public long Evictions => memory.Evictions;

    public bool MayHold(string key) => memory.MayHold(key) || disk.MayHold(key);

    /// <summary>A key the memory tier holds, or one the disk tier's index does not know.</summary>
    public bool AnswersFromMemory(string key) => memory.MayHold(key) || !disk.MayHold(key);

    public bool TryGet(string key, [NotNullWhen(true)] out StoredObject? value)
    {
        if (memory.TryGet(key, out value))
        {
            return true;
        }

        if (!disk.TryGet(key, out value))
        {
            return false;
        }

        if (value.External is null && value.Body.Length <= memoryObjectLimit && memory.Put(key, value.Metadata, value.Body, value.Tags) &&
            value.InvalidatedAt is { } at)
        {
            memory.Invalidate(key, at);
        }

        return true;
    }

    public bool Put(string key, ReadOnlyMemory<byte> metadata, ReadOnlyMemory<byte> body, IReadOnlyList<string> tags)
    {
        var onDisk = disk.Put(key, metadata, body, tags);
        if (body.Length <= memoryObjectLimit)
        {
            return memory.Put(key, metadata, body, tags) | onDisk;
        }

        memory.Remove(key);
        return onDisk;
    }

    public IObjectWriter BeginWrite(string key, ReadOnlyMemory<byte> metadata, IReadOnlyList<string> tags, long? expectedLength) =>
        new TieredObjectWriter(
            this,
            key,
            metadata,
            tags,
            disk.BeginWrite(key, metadata, tags, expectedLength),
            expectedLength is { } n && n > memoryObjectLimit ? 0 : memoryObjectLimit);

    public bool UpdateMetadata(string key, ReadOnlyMemory<byte> metadata)
    {
        var inMemory = memory.UpdateMetadata(key, metadata);
        return disk.UpdateMetadata(key, metadata) | inMemory;
    }

    public bool Invalidate(string key, DateTimeOffset at)
    {
        var inMemory = memory.Invalidate(key, at);
        return disk.Invalidate(key, at) | inMemory;
    }

    public bool Remove(string key)
    {
        var inMemory = memory.Remove(key);
        return disk.Remove(key) | inMemory;
    }

    public IReadOnlyList<string> KeysWithPrefix(string prefix) =>
        memory.KeysWithPrefix(prefix).Union(disk.KeysWithPrefix(prefix), StringComparer.Ordinal).ToList();

    public IReadOnlyList<string> KeysWithTag(string tag) =>
        memory.KeysWithTag(tag).Union(disk.KeysWithTag(tag), StringComparer.Ordinal).ToList();

    /// <summary>Called by a committed writer: the memory copy of a small object, or none (it is outdated).</summary>
    internal void CommitToMemory(string key, ReadOnlyMemory<byte> metadata, ReadOnlyMemory<byte>? body, IReadOnlyList<string> tags)
    {
        if (body is { } bytes)
        {
            memory.Put(key, metadata, bytes, tags);
        }
        else
        {
            memory.Remove(key);
        }
    }
}
