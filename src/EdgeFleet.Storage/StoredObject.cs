namespace EdgeFleet.Storage;

/// <summary>
/// One object as the store keeps it: opaque metadata bytes (the caller's serialised head), the
/// body, and the tags it can be found by. Immutable: a metadata update replaces the instance,
/// so a reader never sees half of an update.
/// </summary>
public sealed class StoredObject
{
    /// <summary>Bookkeeping the store charges per object on top of its bytes.</summary>
    internal const int Overhead = 160;

    private object? _decoded;

    public StoredObject(string key, ReadOnlyMemory<byte> metadata, ReadOnlyMemory<byte> body, IReadOnlyList<string> tags, DateTimeOffset? invalidatedAt = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(tags);
        Key = key;
        Metadata = metadata;
        Body = body;
        Tags = tags;
        InvalidatedAt = invalidatedAt;
    }

    /// <summary>An object whose body lives outside the managed heap (on disk, or in a memory file) and is read in ranges (<see cref="External"/>).</summary>
    public StoredObject(string key, ReadOnlyMemory<byte> metadata, IObjectBody external, IReadOnlyList<string> tags, DateTimeOffset? invalidatedAt = null)
        : this(key, metadata, ReadOnlyMemory<byte>.Empty, tags, invalidatedAt)
    {
        ArgumentNullException.ThrowIfNull(external);
        External = external;
    }

    public string Key { get; }

    public ReadOnlyMemory<byte> Metadata { get; }

    public ReadOnlyMemory<byte> Body { get; }

    public IReadOnlyList<string> Tags { get; }

    /// <summary>Set when the body is not in a managed array: <see cref="Body"/> is then empty and this reads it.</summary>
    public IObjectBody? External { get; }

    /// <summary>The body's length, wherever it lives.</summary>
    public long BodyLength => External?.Length ?? Body.Length;

    /// <summary>Set by a soft purge: the owner treats the object as stale from this time on.</summary>
    public DateTimeOffset? InvalidatedAt { get; }

    /// <summary>The bytes charged against the store's budget (a body in a memory file counts whole pages).</summary>
    public long Size => Body.Length + (External is MemoryFileBody file ? file.Charged : 0) + Metadata.Length + (Key.Length * 2L) + Overhead;

    /// <summary>
    /// A slot where the owner may memoise its decoding of <see cref="Metadata"/>, so a hit does
    /// not decode it again. The store never reads it.
    /// </summary>
    public object? Decoded
    {
        get => Volatile.Read(ref _decoded);
        set => Volatile.Write(ref _decoded, value);
    }

    internal StoredObject With(ReadOnlyMemory<byte> metadata, DateTimeOffset? invalidatedAt) =>
        External is { } external ? new(Key, metadata, external, Tags, invalidatedAt) : new(Key, metadata, Body, Tags, invalidatedAt);
}
