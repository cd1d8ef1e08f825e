using EdgeFleet.Storage;

namespace EdgeFleet.Cache;

/// <summary>
/// Streams a body straight into a store writer (the disk tier), so that no object is ever
/// buffered whole however large; the store makes it visible only on commit.
/// </summary>
internal sealed class StoreWriterSink(IObjectWriter writer, long? expectedLength, long cap) : IBodySink
{
    private long _length;

    public bool Overflowed { get; private set; }

    public bool IsComplete => !Overflowed && (expectedLength is not { } n || n == _length);

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data)
    {
        if (Overflowed)
        {
            return;
        }

        _length += data.Length;
        if (_length > cap || (expectedLength is { } n && _length > n))
        {
            Abandon();
            return;
        }

        await writer.WriteAsync(data, CancellationToken.None);
    }

    public void Abandon()
    {
        Overflowed = true;
        writer.Abort();
    }

    public ValueTask<bool> CommitAsync() => IsComplete ? writer.CommitAsync(CancellationToken.None) : ValueTask.FromResult(false);

    public void Dispose() => writer.Dispose();
}
