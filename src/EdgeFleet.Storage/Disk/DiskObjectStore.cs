using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using EdgeFleet.Storage.Eviction;
using Microsoft.Win32.SafeHandles;

namespace EdgeFleet.Storage.Disk;

/// <summary>
/// The disk tier: one file per object under one directory, named by the key's 64-bit hash
/// (<c>objects/ab/abcdef0123456789</c>). A file is written to <c>tmp/</c>, flushed and renamed
/// into place, so a crash leaves either the old object, the new one or a temp file that the next
/// start deletes, never a torn object. Every byte of a file is covered by CRC-32C (see
/// <see cref="DiskObjectHeader"/>) and verified when read; a corrupt object is dropped.
/// </summary>
/// <remarks>
/// <para>The eviction policy is the index: it already maps each resident key hash to its size, so
/// the tier keeps nothing else per object in memory (keys, metadata and tags stay on disk),
/// except the full keys of variants (<see cref="DiskObjectStoreOptions.VariantSeparator"/>).
/// On start the index is rebuilt by reading the headers of all files in parallel.</para>
/// <para>Size accounting is exact in file bytes: committed files are charged to the policy, whose
/// budget is the capacity less a reserve for files being written; a writer reserves its bytes
/// from that reserve before writing them, so the directory never holds more than the capacity.</para>
/// <para>A failing disk (no space, I/O errors, no permission) is reported in
/// <see cref="Problem"/> and left alone for <see cref="DiskObjectStoreOptions.RetryInterval"/>:
/// writes are skipped meanwhile and the tier above serves from memory and the origin.</para>
/// </remarks>
public sealed class DiskObjectStore : IStreamingObjectStore
{
    private readonly DiskObjectStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly string _objects;
    private readonly string _temp;
    private readonly IEvictionPolicy _policy;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<ulong, string> _variants = new();
    private readonly List<ulong> _victims = [];
    private long _tempBytes;
    private long _evictions;
    private long _corrupt;
    private long _errors;
    private volatile string? _problem;
    private bool _opened;
    private DateTimeOffset _retryAt;

    public DiskObjectStore(DiskObjectStoreOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
        _objects = System.IO.Path.Combine(options.Path, "objects");
        _temp = System.IO.Path.Combine(options.Path, "tmp");
        TempBudget = DiskObjectStoreOptions.TempBudgetFor(options.Capacity);
        _policy = EvictionPolicyFactory.Create(options.EvictionPolicy, Math.Max(1, options.Capacity - TempBudget));
        TryOpen();
    }

    /// <summary>The tier's directory.</summary>
    public string RootPath => _options.Path;

    /// <summary>Committed objects.</summary>
    public long Count => _policy.Count;

    /// <summary>File bytes on disk: committed objects plus files being written.</summary>
    public long Bytes => _policy.Used + Volatile.Read(ref _tempBytes);

    public long Capacity => _options.Capacity;

    public long Evictions => Volatile.Read(ref _evictions);

    /// <summary>Objects dropped because a checksum or a length did not match, since start (the start-up scan included).</summary>
    public long CorruptObjects => Volatile.Read(ref _corrupt);

    /// <summary>Failed disk operations since start.</summary>
    public long Errors => Volatile.Read(ref _errors);

    /// <summary>The bytes reserved for files being written; also the largest file the tier stores.</summary>
    public long TempBudget { get; }

    /// <summary>Why the disk is not in use, or null while it works.</summary>
    public string? Problem => _problem;

    public bool IsHealthy => _problem is null;

    /// <summary>The time the last start-up scan took.</summary>
    public TimeSpan RebuildTime { get; private set; }

    /// <summary>Files the start-up scan deleted: temp files, torn, truncated or damaged objects.</summary>
    public long DiscardedFiles { get; private set; }

    internal DiskObjectStoreOptions Options => _options;

    internal string TempDirectory => _temp;

    /// <summary>From the index in memory: no file is read.</summary>
    public bool MayHold(string key) => _policy.Contains(KeyHash.Of(key));

    /// <summary>Only an unknown key: a known one is read from its file.</summary>
    public bool AnswersFromMemory(string key) => !MayHold(key);

    public bool TryGet(string key, [NotNullWhen(true)] out StoredObject? value)
    {
        value = null;
        var hash = KeyHash.Of(key);
        if (!_policy.Contains(hash))
        {
            return false;
        }

        var path = PathOf(hash);
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = RandomAccess.GetLength(handle);
            var header = ReadHeader(handle, length, full: true);
            if (header is null || header.FileLength != length || header.Hash != hash)
            {
                DropCorrupt(hash, null);
                return false;
            }

            if (!string.Equals(header.Key, key, StringComparison.Ordinal))
            {
                // Another key with the same 64-bit hash.
                return false;
            }

            _policy.RecordHit(hash);
            if (header.BodyLength > _options.WholeReadLimit)
            {
                value = new StoredObject(key, header.Metadata, new DiskObjectBody(this, path, header), header.Tags!, header.InvalidatedAt);
                return true;
            }

            var body = new byte[header.BodyLength];
            var trailer = new byte[header.TrailerLength];
            if (!ReadExactly(handle, body, header.HeaderLength) || !ReadExactly(handle, trailer, header.TrailerOffset) ||
                !VerifyWhole(header, body, trailer))
            {
                DropCorrupt(hash, header.Nonce);
                return false;
            }

            value = new StoredObject(key, header.Metadata, body, header.Tags!, header.InvalidatedAt);
            return true;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            ForgetMissing(hash);
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ReadFailed();
            return false;
        }
    }

    public bool Put(string key, ReadOnlyMemory<byte> metadata, ReadOnlyMemory<byte> body, IReadOnlyList<string> tags)
    {
        using var writer = BeginWriteCore(key, metadata, tags, body.Length, null);
        if (writer is null)
        {
            return false;
        }

        writer.Write(body.Span);
        return writer.Commit();
    }

    public IObjectWriter BeginWrite(string key, ReadOnlyMemory<byte> metadata, IReadOnlyList<string> tags, long? expectedLength) =>
        (IObjectWriter?)BeginWriteCore(key, metadata, tags, expectedLength, null) ?? NullObjectWriter.Instance;

    public bool UpdateMetadata(string key, ReadOnlyMemory<byte> metadata)
    {
        // The body is copied through a verifying read into a new file: a corrupt body is not
        // given fresh checksums, and the old file serves readers until the rename.
        if (!TryGet(key, out var current))
        {
            return false;
        }

        try
        {
            using var writer = BeginWriteCore(key, metadata, current.Tags, current.BodyLength, (current.External as DiskObjectBody)?.Nonce);
            if (writer is null)
            {
                return false;
            }

            if (current.External is { } external)
            {
                using var source = external.OpenAsync(0, external.Length, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                var buffer = ArrayPool<byte>.Shared.Rent(_options.ChunkSize);
                try
                {
                    int read;
                    while ((read = source.Read(buffer, 0, _options.ChunkSize)) > 0)
                    {
                        writer.Write(buffer.AsSpan(0, read));
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            else
            {
                writer.Write(current.Body.Span);
            }

            return writer.Commit();
        }
        catch (IOException)
        {
            // Corrupt (already dropped) or replaced while copying: nothing to update.
            return false;
        }
    }

    public bool Invalidate(string key, DateTimeOffset at)
    {
        var hash = KeyHash.Of(key);
        lock (_lock)
        {
            if (!_policy.Contains(hash))
            {
                return false;
            }

            try
            {
                using var handle = File.OpenHandle(PathOf(hash), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                var header = ReadHeader(handle, RandomAccess.GetLength(handle), full: true);
                if (header is null || !string.Equals(header.Key, key, StringComparison.Ordinal))
                {
                    return false;
                }

                var mark = new byte[16];
                DiskObjectHeader.WriteMark(mark, header.InvalidatedAt is { } earlier && earlier < at ? earlier : at);
                RandomAccess.Write(handle, mark, DiskObjectHeader.MarkOffset);
                if (_options.SyncWrites)
                {
                    RandomAccess.FlushToDisk(handle);
                }

                return true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A soft purge that cannot be recorded must not leave the object fresh: drop it.
                WriteFailed(ex);
                RemoveLocked(hash);
                return true;
            }
        }
    }

    public bool Remove(string key)
    {
        var hash = KeyHash.Of(key);
        lock (_lock)
        {
            if (!_policy.Contains(hash))
            {
                return false;
            }

            if (KeyAt(hash) is { } stored && !string.Equals(stored, key, StringComparison.Ordinal))
            {
                return false;
            }

            RemoveLocked(hash);
            return true;
        }
    }

    /// <summary>
    /// Keys starting with <paramref name="prefix"/>. A prefix that contains the variant separator
    /// is answered from memory; any other prefix reads every header on disk.
    /// </summary>
    public IReadOnlyList<string> KeysWithPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (_options.VariantSeparator is { } separator && prefix.Contains(separator, StringComparison.Ordinal))
        {
            return _variants.Values.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        }

        return Scan(header => header.Key!.StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <summary>Keys carrying <paramref name="tag"/>: reads every header on disk (tags are not kept in memory).</summary>
    public IReadOnlyList<string> KeysWithTag(string tag) =>
        Scan(header => header.Tags!.Contains(tag, StringComparer.Ordinal));

    internal DiskObjectWriter? BeginWriteCore(string key, ReadOnlyMemory<byte> metadata, IReadOnlyList<string> tags, long? expectedLength, ulong? replacing)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(tags);
        if (!EnsureUsable())
        {
            return null;
        }

        var grouped = _options.VariantSeparator is { } separator && key.Contains(separator, StringComparison.Ordinal);
        var writer = new DiskObjectWriter(this, key, KeyHash.Of(key), metadata, tags, grouped, expectedLength, replacing);
        return writer.Start() ? writer : null;
    }

    internal bool TryReserve(long bytes)
    {
        var current = Volatile.Read(ref _tempBytes);
        while (true)
        {
            if (current + bytes > TempBudget)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _tempBytes, current + bytes, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }
    }

    internal void Release(long bytes) => Interlocked.Add(ref _tempBytes, -bytes);

    /// <summary>Moves a finished temp file into place if the policy admits it; false otherwise.</summary>
    internal bool Commit(DiskObjectWriter writer, string tempPath, long fileLength)
    {
        var hash = writer.Hash;
        lock (_lock)
        {
            if (writer.Replacing is { } nonce && NonceAt(hash) != nonce)
            {
                // A metadata update whose object was replaced or removed meanwhile.
                TryDelete(tempPath);
                return false;
            }

            _victims.Clear();
            var admitted = _policy.TryInsert(hash, fileLength, _victims);
            foreach (var victim in _victims)
            {
                if (victim != hash)
                {
                    DeleteObjectFile(victim);
                    _evictions++;
                }
            }

            if (!admitted)
            {
                // Whatever was stored under this key is outdated now, admitted or not.
                _policy.Remove(hash);
                DeleteObjectFile(hash);
                TryDelete(tempPath);
                return false;
            }

            try
            {
                File.Move(tempPath, PathOf(hash), overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                WriteFailed(ex);
                _policy.Remove(hash);
                DeleteObjectFile(hash);
                TryDelete(tempPath);
                return false;
            }

            if (writer.Grouped)
            {
                _variants[hash] = writer.Key;
            }
            else
            {
                _variants.TryRemove(hash, out _);
            }

            return true;
        }
    }

    internal void WriteFailed(Exception ex)
    {
        Interlocked.Increment(ref _errors);
        _problem = Describe(ex);
        _retryAt = _time.GetUtcNow() + _options.RetryInterval;
    }

    internal void ReadFailed() => Interlocked.Increment(ref _errors);

    /// <summary>
    /// Drops a corrupt object and counts it. With a <paramref name="nonce"/> only that version is
    /// dropped (a newer one may have replaced it); without, whatever sits there with a bad header.
    /// </summary>
    internal void DropCorrupt(ulong hash, ulong? nonce)
    {
        Interlocked.Increment(ref _corrupt);
        lock (_lock)
        {
            var current = NonceAt(hash);
            if (nonce is null ? current is null : current == nonce)
            {
                RemoveLocked(hash);
            }
        }
    }

    internal string PathOf(ulong hash)
    {
        var name = hash.ToString("x16", CultureInfo.InvariantCulture);
        return System.IO.Path.Combine(_objects, name[..2], name);
    }

    internal static bool ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset)
    {
        while (destination.Length > 0)
        {
            var n = RandomAccess.Read(handle, destination, offset);
            if (n == 0)
            {
                return false;
            }

            destination = destination[n..];
            offset += n;
        }

        return true;
    }

    internal static DiskObjectHeader? ReadHeader(SafeFileHandle handle, long fileLength, bool full)
    {
        var probe = ArrayPool<byte>.Shared.Rent(DiskObjectHeader.ProbeLength);
        try
        {
            var n = (int)Math.Min(fileLength, DiskObjectHeader.ProbeLength);
            if (!ReadExactly(handle, probe.AsSpan(0, n), 0))
            {
                return null;
            }

            var announced = DiskObjectHeader.AnnouncedLength(probe.AsSpan(0, n));
            if (announced < 0 || announced > fileLength)
            {
                return null;
            }

            if (announced <= n)
            {
                return DiskObjectHeader.Parse(probe.AsSpan(0, announced), full);
            }

            var whole = new byte[announced];
            return ReadExactly(handle, whole, 0) ? DiskObjectHeader.Parse(whole, full) : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(probe);
        }
    }

    /// <summary>Checks every chunk and the trailer of an object read whole.</summary>
    internal static bool VerifyWhole(DiskObjectHeader header, ReadOnlySpan<byte> body, ReadOnlySpan<byte> trailer)
    {
        var chunks = (int)header.ChunkCount;
        if (trailer.Length != (4 * chunks) + 8 || BinaryPrimitives.ReadUInt32LittleEndian(trailer[^4..]) != DiskObjectHeader.TrailerMagic)
        {
            return false;
        }

        for (var i = 0; i < chunks; i++)
        {
            var start = (long)i * header.ChunkSize;
            var chunk = body.Slice((int)start, (int)Math.Min(header.ChunkSize, body.Length - start));
            if (Crc32C.Compute(chunk) != BinaryPrimitives.ReadUInt32LittleEndian(trailer[(4 * i)..]))
            {
                return false;
            }
        }

        return TrailerChecksum(header.HeaderCrc, trailer[..(4 * chunks)]) == BinaryPrimitives.ReadUInt32LittleEndian(trailer[(4 * chunks)..]);
    }

    internal static uint TrailerChecksum(uint headerCrc, ReadOnlySpan<byte> chunkCrcs)
    {
        Span<byte> head = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(head, headerCrc);
        return ~Crc32C.Append(Crc32C.Append(~0u, head), chunkCrcs);
    }

    private static string Describe(Exception ex) => ex switch
    {
        UnauthorizedAccessException => "permission denied",
        IOException when ex.HResult == 28 || ex.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) => "no space left on device",
        IOException when ex.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase) => "read-only file system",
        _ => "I/O error: " + ex.Message,
    };

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next start-up scan, which deletes temp files.
        }
    }

    private bool EnsureUsable()
    {
        if (_problem is null)
        {
            return true;
        }

        if (_time.GetUtcNow() < _retryAt)
        {
            return false;
        }

        lock (_lock)
        {
            if (_problem is null)
            {
                return true;
            }

            return _opened ? Probe() : TryOpen();
        }
    }

    /// <summary>
    /// Creates the directories (again, if the volume was wiped meanwhile), then writes, flushes
    /// and deletes a small file to see whether the disk works.
    /// </summary>
    private bool Probe()
    {
        try
        {
            Directory.CreateDirectory(_temp);
            for (var i = 0; i < 256; i++)
            {
                Directory.CreateDirectory(System.IO.Path.Combine(_objects, i.ToString("x2", CultureInfo.InvariantCulture)));
            }

            var path = System.IO.Path.Combine(_temp, "probe.tmp");
            using (var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                RandomAccess.Write(handle, new byte[4096], 0);
                RandomAccess.FlushToDisk(handle);
            }

            File.Delete(path);
            _problem = null;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteFailed(ex);
            return false;
        }
    }

    /// <summary>Creates the directories, deletes temp files and rebuilds the index from the headers on disk.</summary>
    private bool TryOpen()
    {
        var clock = Stopwatch.StartNew();
        try
        {
            if (!Probe())
            {
                return false;
            }

            long discarded = 0;
            foreach (var file in Directory.EnumerateFiles(_temp))
            {
                File.Delete(file);
                discarded++;
            }

            var found = new ConcurrentBag<List<(ulong Hash, long Length, string? Variant)>>();
            var directories = Directory.GetDirectories(_objects);
            Parallel.ForEach(
                directories,
                () => new List<(ulong, long, string?)>(),
                (directory, _, list) =>
                {
                    foreach (var file in Directory.EnumerateFiles(directory))
                    {
                        if (ScanFile(directory, file) is { } entry)
                        {
                            list.Add(entry);
                        }
                        else
                        {
                            TryDelete(file);
                            Interlocked.Increment(ref discarded);
                        }
                    }

                    return list;
                },
                found.Add);

            lock (_lock)
            {
                foreach (var list in found)
                {
                    foreach (var (hash, length, variant) in list)
                    {
                        AdmitFound(hash, length, variant);
                    }
                }

                _opened = true;
            }

            DiscardedFiles = discarded;
            RebuildTime = clock.Elapsed;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteFailed(ex);
            return false;
        }
    }

    private (ulong Hash, long Length, string? Variant)? ScanFile(string directory, string file)
    {
        var name = System.IO.Path.GetFileName(file);
        if (name.Length != 16 || !ulong.TryParse(name, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hash) ||
            !name.StartsWith(System.IO.Path.GetFileName(directory), StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            // One read covers a small object whole (its length then needs no stat); a larger
            // one gets a stat and a read of its last bytes, to tell a truncated file.
            using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Span<byte> probe = stackalloc byte[DiskObjectHeader.ProbeLength];
            var read = RandomAccess.Read(handle, probe, 0);
            var length = read < probe.Length ? read : RandomAccess.GetLength(handle);
            var announced = DiskObjectHeader.AnnouncedLength(probe[..read]);
            var header = announced < 0 || announced > length ? null
                : announced <= read ? DiskObjectHeader.Parse(probe[..announced], full: false)
                : ReadHeader(handle, length, full: false);
            Span<byte> magic = stackalloc byte[4];
            if (header is null || header.Hash != hash || header.FileLength != length ||
                (length > read && !ReadExactly(handle, magic, length - 4)) ||
                BinaryPrimitives.ReadUInt32LittleEndian(length > read ? magic : probe.Slice((int)length - 4, 4)) != DiskObjectHeader.TrailerMagic)
            {
                Interlocked.Increment(ref _corrupt);
                return null;
            }

            return (hash, length, header.Grouped ? header.Key : null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void AdmitFound(ulong hash, long length, string? variant)
    {
        _victims.Clear();

        // Offered twice: an admission filter may turn a key away on first sight (a large object
        // waits for a second miss), but on disk it already earned its place.
        var admitted = _policy.TryInsert(hash, length, _victims) || _policy.TryInsert(hash, length, _victims);
        foreach (var victim in _victims)
        {
            DeleteObjectFile(victim);
            _evictions++;
        }

        if (!admitted)
        {
            DeleteObjectFile(hash);
        }
        else if (variant is not null)
        {
            _variants[hash] = variant;
        }
    }

    private IReadOnlyList<string> Scan(Func<DiskObjectHeader, bool> match)
    {
        var keys = new ConcurrentBag<string>();
        try
        {
            Parallel.ForEach(Directory.EnumerateFiles(_objects, "*", SearchOption.AllDirectories), file =>
            {
                try
                {
                    using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    if (ReadHeader(handle, RandomAccess.GetLength(handle), full: true) is { } header &&
                        _policy.Contains(header.Hash) && match(header))
                    {
                        keys.Add(header.Key!);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Deleted meanwhile, or unreadable: not a match.
                }
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ReadFailed();
        }

        return [.. keys];
    }

    private string? KeyAt(ulong hash)
    {
        try
        {
            using var handle = File.OpenHandle(PathOf(hash), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return ReadHeader(handle, RandomAccess.GetLength(handle), full: true)?.Key;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private ulong? NonceAt(ulong hash)
    {
        try
        {
            using var handle = File.OpenHandle(PathOf(hash), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return ReadHeader(handle, RandomAccess.GetLength(handle), full: false)?.Nonce;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void ForgetMissing(ulong hash)
    {
        lock (_lock)
        {
            if (!File.Exists(PathOf(hash)))
            {
                _policy.Remove(hash);
                _variants.TryRemove(hash, out _);
            }
        }
    }

    private void RemoveLocked(ulong hash)
    {
        _policy.Remove(hash);
        DeleteObjectFile(hash);
    }

    private void DeleteObjectFile(ulong hash)
    {
        _variants.TryRemove(hash, out _);
        TryDelete(PathOf(hash));
    }
}
