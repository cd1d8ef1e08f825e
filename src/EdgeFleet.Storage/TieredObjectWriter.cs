using System.Buffers;

namespace EdgeFleet.Storage;

/// <summary>
/// Streams a body to the disk tier and, while it stays small enough for memory, keeps a copy
/// for the memory tier. A disk that fails mid-way costs only the disk copy.
/// </summary>
internal sealed class TieredObjectWriter(
    TieredObjectStore owner,
    string key,
    ReadOnlyMemory<byte> metadata,
    IReadOnlyList<string> tags,
    IObjectWriter disk,
    long memoryLimit) : IObjectWriter
{
    private ArrayBufferWriter<byte>? _copy = memoryLimit > 0 ? new ArrayBufferWriter<byte>() : null;
    private bool _aborted;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_aborted)
        {
            return;
        }

        if (_copy is not null)
        {
            if (_copy.WrittenCount + data.Length > memoryLimit)
            {
                _copy = null;
            }
            else
            {
                _copy.Write(data.Span);
            }
        }

        await disk.WriteAsync(data, cancellationToken);
    }

    public async ValueTask<bool> CommitAsync(CancellationToken cancellationToken)
    {
        if (_aborted)
        {
            return false;
        }

        var onDisk = await disk.CommitAsync(cancellationToken);
        owner.CommitToMemory(key, metadata, _copy?.WrittenMemory, tags);
        return onDisk || _copy is not null;
    }

    public void Abort()
    {
        _aborted = true;
        _copy = null;
        disk.Abort();
    }

    public void Dispose() => disk.Dispose();
}
