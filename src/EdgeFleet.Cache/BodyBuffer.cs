namespace EdgeFleet.Cache;

/// <summary>
/// Collects a response body for the store while it streams to the client. With a known length
/// it fills one exactly sized array (no copy at the end); otherwise it grows by doubling up to
/// a cap, past which the object is not stored.
/// </summary>
internal sealed class BodyBuffer(long? expectedLength, long cap) : IBodySink
{
    private byte[] _buffer = expectedLength is { } n && n <= cap ? new byte[n] : new byte[Math.Min(cap, 16 * 1024)];
    private int _length;

    public bool Overflowed { get; private set; }

    public int Length => _length;

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    public bool IsComplete => !Overflowed && (expectedLength is not { } n || n == _length);

    public void Abandon()
    {
        Overflowed = true;
        _buffer = [];
        _length = 0;
    }

    public ValueTask AppendAsync(ReadOnlyMemory<byte> data)
    {
        Append(data.Span);
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (Overflowed)
        {
            return;
        }

        var needed = (long)_length + data.Length;
        if (needed > cap || (expectedLength is { } n && needed > n))
        {
            Abandon();
            return;
        }

        if (needed > _buffer.Length)
        {
            var next = new byte[(int)Math.Min(cap, Math.Max(needed, (long)_buffer.Length * 2))];
            _buffer.AsSpan(0, _length).CopyTo(next);
            _buffer = next;
        }

        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }
}
