using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace EdgeFleet.Storage.Disk;

/// <summary>
/// Writes one object file into the temp directory while its body arrives, checksumming each
/// chunk on the way, then (on commit) appends the trailer, writes the final header, flushes the
/// file to the device and hands it to the store to rename into place. Disk bytes are reserved
/// from the store's temp budget before they are written.
/// </summary>
/// <remarks>
/// Writes are plain positional writes into the page cache (fast); only the flush on commit waits
/// for the device.
/// </remarks>
internal sealed class DiskObjectWriter : IObjectWriter
{
    private const long ReserveStep = 1024 * 1024;
    private const long PreallocateFrom = 1024 * 1024;

    private readonly DiskObjectStore _store;
    private readonly ReadOnlyMemory<byte> _metadata;
    private readonly IReadOnlyList<string> _tags;
    private readonly long? _expectedLength;
    private readonly int _chunkSize;
    private readonly int _headerLength;
    private readonly ulong _nonce;
    private readonly List<uint> _chunkCrcs = [];
    private SafeFileHandle? _handle;
    private string _tempPath = "";
    private long _written;
    private long _reserved;
    private uint _chunkState = ~0u;
    private int _chunkFill;
    private bool _done;

    public DiskObjectWriter(DiskObjectStore store, string key, ulong hash, ReadOnlyMemory<byte> metadata, IReadOnlyList<string> tags, bool grouped, long? expectedLength, ulong? replacing)
    {
        _store = store;
        Key = key;
        Hash = hash;
        _metadata = metadata;
        _tags = tags;
        Grouped = grouped;
        _expectedLength = expectedLength;
        Replacing = replacing;
        _chunkSize = store.Options.ChunkSize;
        _headerLength = DiskObjectHeader.LengthFor(key, metadata.Length, tags);
        _nonce = BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8));
    }

    public string Key { get; }

    public ulong Hash { get; }

    public bool Grouped { get; }

    /// <summary>For a metadata update: the nonce of the version being rewritten.</summary>
    public ulong? Replacing { get; }

    /// <summary>Reserves the announced size and creates the temp file; false when it cannot be stored.</summary>
    public bool Start()
    {
        var initial = _expectedLength is { } n ? FileLength(n) : Math.Min(ReserveStep, _store.TempBudget);
        if (!Reserve(initial))
        {
            _done = true;
            return false;
        }

        try
        {
            _tempPath = Path.Combine(_store.TempDirectory, Hash.ToString("x16", CultureInfo.InvariantCulture) + "-" + _nonce.ToString("x16", CultureInfo.InvariantCulture) + ".tmp");

            // Preallocating a known large size makes a full disk fail here, before anything is sent.
            var preallocate = _expectedLength is { } m && m >= PreallocateFrom ? FileLength(m) : 0;
            _handle = File.OpenHandle(_tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.None, preallocate);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _store.WriteFailed(ex);
            Abort();
            return false;
        }
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Write(data.Span);
        return ValueTask.CompletedTask;
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        if (_done || data.Length == 0)
        {
            return;
        }

        var end = _written + data.Length;
        if ((_expectedLength is { } n && end > n) || !Reserve(FileLength(end) - _reserved))
        {
            Abort();
            return;
        }

        try
        {
            RandomAccess.Write(_handle!, data, _headerLength + _written);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _store.WriteFailed(ex);
            Abort();
            return;
        }

        _written = end;
        while (data.Length > 0)
        {
            var take = Math.Min(_chunkSize - _chunkFill, data.Length);
            _chunkState = Crc32C.Append(_chunkState, data[..take]);
            _chunkFill += take;
            data = data[take..];
            if (_chunkFill == _chunkSize)
            {
                _chunkCrcs.Add(~_chunkState);
                _chunkState = ~0u;
                _chunkFill = 0;
            }
        }
    }

    public ValueTask<bool> CommitAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Commit());

    public bool Commit()
    {
        if (_done || (_expectedLength is { } n && n != _written))
        {
            Abort();
            return false;
        }

        if (_chunkFill > 0)
        {
            _chunkCrcs.Add(~_chunkState);
        }

        var fileLength = FileLength(_written);
        try
        {
            var header = new byte[_headerLength];
            var headerCrc = DiskObjectHeader.Write(header, Key, Hash, _nonce, _metadata.Span, _tags, _written, _chunkSize, Grouped);
            var trailer = new byte[DiskObjectHeader.TrailerLengthFor(_written, _chunkSize)];
            for (var i = 0; i < _chunkCrcs.Count; i++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4 * i), _chunkCrcs[i]);
            }

            var crcs = trailer.AsSpan(0, 4 * _chunkCrcs.Count);
            BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4 * _chunkCrcs.Count), DiskObjectStore.TrailerChecksum(headerCrc, crcs));
            BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(trailer.Length - 4), DiskObjectHeader.TrailerMagic);
            RandomAccess.Write(_handle!, trailer, _headerLength + _written);
            RandomAccess.Write(_handle!, header, 0);
            if (RandomAccess.GetLength(_handle!) != fileLength)
            {
                // Preallocated for more than arrived (cannot happen with a checked length; kept exact anyway).
                RandomAccess.SetLength(_handle!, fileLength);
            }

            if (_store.Options.SyncWrites)
            {
                RandomAccess.FlushToDisk(_handle!);
            }

            _handle!.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _store.WriteFailed(ex);
            Abort();
            return false;
        }

        _done = true;
        var committed = _store.Commit(this, _tempPath, fileLength);
        _store.Release(_reserved);
        _reserved = 0;
        return committed;
    }

    public void Abort()
    {
        if (_handle is not null)
        {
            _handle.Dispose();
            try
            {
                File.Delete(_tempPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The next start-up scan deletes temp files.
            }

            _handle = null;
        }

        _done = true;
        _store.Release(_reserved);
        _reserved = 0;
    }

    public void Dispose()
    {
        if (!_done || _handle is not null)
        {
            Abort();
        }
    }

    private long FileLength(long bodyLength) => _headerLength + bodyLength + DiskObjectHeader.TrailerLengthFor(bodyLength, _chunkSize);

    private bool Reserve(long more)
    {
        if (more <= 0)
        {
            return true;
        }

        // Reserve ahead in steps so that a streamed body does not touch the counter per chunk.
        var step = _expectedLength is null ? Math.Max(more, ReserveStep) : more;
        if (_store.TryReserve(step))
        {
            _reserved += step;
            return true;
        }

        if (step > more && _store.TryReserve(more))
        {
            _reserved += more;
            return true;
        }

        return false;
    }
}
