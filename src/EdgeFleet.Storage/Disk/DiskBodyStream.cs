using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace EdgeFleet.Storage.Disk;

/// <summary>
/// Reads a range of a body on disk in whole chunks, verifying each chunk against its CRC-32C in
/// the trailer before handing out any of its bytes. Only the chunks overlapping the range (and
/// their CRCs) are read. A mismatch drops the object and fails the read.
/// </summary>
internal sealed class DiskBodyStream : Stream
{
    private const int CrcBatch = 256;

    private readonly DiskObjectStore _store;
    private readonly SafeFileHandle _handle;
    private readonly DiskObjectHeader _header;
    private readonly long _end;
    private readonly byte[] _chunk;
    private readonly byte[] _crcs = new byte[4 * CrcBatch];
    private long _position;
    private long _chunkIndex = -1;
    private long _crcFirst = -1;
    private int _crcCount;

    public DiskBodyStream(DiskObjectStore store, SafeFileHandle handle, DiskObjectHeader header, long offset, long count)
    {
        _store = store;
        _handle = handle;
        _header = header;
        _position = offset;
        _end = offset + count;
        _chunk = ArrayPool<byte>.Shared.Rent(header.ChunkSize);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _end;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Loads and verifies the first chunk, so a bad object fails before anything is sent.</summary>
    public async ValueTask PrimeAsync(CancellationToken cancellationToken)
    {
        if (_position < _end)
        {
            await LoadAsync(_position / _header.ChunkSize, cancellationToken);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= _end || buffer.Length == 0)
        {
            return 0;
        }

        var index = _position / _header.ChunkSize;
        if (index != _chunkIndex)
        {
            await LoadAsync(index, cancellationToken);
        }

        var within = (int)(_position - (index * _header.ChunkSize));
        var chunkLength = (int)Math.Min(_header.ChunkSize, _header.BodyLength - (index * _header.ChunkSize));
        var n = (int)Math.Min(Math.Min(buffer.Length, chunkLength - within), _end - _position);
        _chunk.AsMemory(within, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    /// <summary>Writes each verified chunk straight from the chunk buffer, without a second copy.</summary>
    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        while (_position < _end)
        {
            var index = _position / _header.ChunkSize;
            if (index != _chunkIndex)
            {
                await LoadAsync(index, cancellationToken);
            }

            var within = (int)(_position - (index * _header.ChunkSize));
            var chunkLength = (int)Math.Min(_header.ChunkSize, _header.BodyLength - (index * _header.ChunkSize));
            var n = (int)Math.Min(chunkLength - within, _end - _position);
            await destination.WriteAsync(_chunk.AsMemory(within, n), cancellationToken);
            _position += n;
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _handle.Dispose();
            ArrayPool<byte>.Shared.Return(_chunk);
        }

        base.Dispose(disposing);
    }

    private async ValueTask LoadAsync(long index, CancellationToken cancellationToken)
    {
        var start = index * _header.ChunkSize;
        var length = (int)Math.Min(_header.ChunkSize, _header.BodyLength - start);
        if (!await ReadExactlyAsync(_chunk.AsMemory(0, length), _header.HeaderLength + start, cancellationToken))
        {
            Corrupt("the file is shorter than its header says");
        }

        if (index < _crcFirst || index >= _crcFirst + _crcCount)
        {
            _crcFirst = index;
            _crcCount = (int)Math.Min(CrcBatch, _header.ChunkCount - index);
            if (!await ReadExactlyAsync(_crcs.AsMemory(0, 4 * _crcCount), _header.TrailerOffset + (4 * index), cancellationToken))
            {
                Corrupt("the file's trailer is cut short");
            }
        }

        var expected = BinaryPrimitives.ReadUInt32LittleEndian(_crcs.AsSpan((int)(4 * (index - _crcFirst))));
        if (Crc32C.Compute(_chunk.AsSpan(0, length)) != expected)
        {
            Corrupt($"chunk {index} failed its checksum");
        }

        _chunkIndex = index;
    }

    private async ValueTask<bool> ReadExactlyAsync(Memory<byte> destination, long offset, CancellationToken cancellationToken)
    {
        while (destination.Length > 0)
        {
            var n = await RandomAccess.ReadAsync(_handle, destination, offset, cancellationToken);
            if (n == 0)
            {
                return false;
            }

            destination = destination[n..];
            offset += n;
        }

        return true;
    }

    private void Corrupt(string reason)
    {
        _store.DropCorrupt(_header.Hash, _header.Nonce);
        throw new CorruptObjectException($"stored object {_header.Hash:x16}: {reason}; dropped");
    }
}
