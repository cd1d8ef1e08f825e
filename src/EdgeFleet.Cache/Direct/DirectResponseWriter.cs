using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using EdgeFleet.Http;
using EdgeFleet.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace EdgeFleet.Cache.Direct;

/// <summary>
/// The response side of a direct connection: formats the status line and fields itself and hands
/// the stored bytes to the socket without copying them (one <c>sendmsg</c> with the head and the
/// body as separate buffers). Small responses are gathered into one buffer and sent with one call.
/// A write returns once the kernel holds the bytes, so a caller may reuse its buffer at once.
/// Framing follows what Kestrel does for the same handler: the handler's Content-Length, or
/// <c>Content-Length: 0</c> when it wrote nothing; without a length the body ends with the
/// connection. After the client is gone writes are dropped and the request is aborted.
/// </summary>
internal sealed class DirectResponseWriter(SocketSender sender, TimeProvider time) : PipeWriter
{
    // Below this, head and body are copied into one buffer: one copy of a few KiB costs less
    // than the kernel walking two buffers.
    private const int GatherBytes = 16 * 1024;

    private readonly List<ArraySegment<byte>> _segments = new(3);
    private byte[] _head = new byte[2048];
    private int _headLength;
    private byte[] _buffer = [];
    private int _buffered;
    private DirectExchange? _exchange;
    private bool _isHead;
    private bool _close;
    private bool _formatted;
    private bool _headSent;
    private bool _bodyAllowed;
    private long? _contentLength;
    private long _bodyBytes;
    private long _dateSecond = -1;
    private byte[] _date = [];

    /// <summary>The client connection failed under a write.</summary>
    public bool Failed { get; private set; }

    /// <summary>The body ends with the connection (the handler gave no length).</summary>
    public bool CloseAfter { get; private set; }

    public void Reset(DirectExchange exchange, bool isHead, bool close)
    {
        _exchange = exchange;
        _isHead = isHead;
        _close = close;
        _formatted = false;
        _headSent = false;
        _headLength = 0;
        _buffered = 0;
        _bodyBytes = 0;
        _contentLength = null;
        _bodyAllowed = true;
        CloseAfter = false;
    }

    /// <summary>Fixes the status line and fields (after the OnStarting callbacks ran).</summary>
    public void FormatHead() => FormatHead(finishing: false);

    /// <summary>
    /// Sends what is still held after the handler returned; false when the connection cannot carry
    /// another response (the client is gone, the body was cut short, or it ends with the connection).
    /// </summary>
    public async ValueTask<bool> FinishAsync()
    {
        var exchange = _exchange!;
        await exchange.StartIfNeededAsync();
        FormatHead(finishing: true);
        await SendAsync(ReadOnlyMemory<byte>.Empty);
        var complete = !_bodyAllowed || _isHead || _contentLength is not { } length || _bodyBytes == length;
        return complete && !Failed && !CloseAfter;
    }

    public override void Advance(int bytes)
    {
        _buffered += bytes;
        Count(bytes);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).Span;

    public override void CancelPendingFlush()
    {
        // Writes complete when the kernel holds the bytes; there is no pending flush to cancel.
    }

    public override void Complete(Exception? exception = null)
    {
        // The connection finishes the response when the handler returns.
    }

    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        await StartAsync();
        await SendAsync(ReadOnlyMemory<byte>.Empty);
        return new FlushResult(isCanceled: false, isCompleted: Failed);
    }

    public override async ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        await StartAsync();
        Count(source.Length);
        await SendAsync(SendsBody ? source : ReadOnlyMemory<byte>.Empty);
        return new FlushResult(isCanceled: false, isCompleted: Failed);
    }

    /// <summary>
    /// Sends <paramref name="count"/> bytes of a body kept in a memory file, from
    /// <paramref name="offset"/>, with the head before them, without copying them through user
    /// space (<see cref="SocketSender.SendFileAsync"/>). Throws <see cref="IOException"/> before
    /// anything is sent when the store let the body go since the lookup.
    /// </summary>
    public async ValueTask SendFileAsync(MemoryFileBody body, long offset, long count)
    {
        if (!body.TryAcquire())
        {
            throw MemoryFileBody.Evicted();
        }

        try
        {
            await StartAsync();
            Count(count);
            if (!SendsBody || Failed || count == 0)
            {
                await SendAsync(ReadOnlyMemory<byte>.Empty);
                return;
            }

            // What the handler buffered before goes out the ordinary way first.
            if (_buffered > 0)
            {
                await SendAsync(ReadOnlyMemory<byte>.Empty);
                if (Failed)
                {
                    return;
                }
            }

            var head = _headSent ? 0 : _headLength;
            try
            {
                await sender.SendFileAsync(_head.AsMemory(0, head), body.Handle, offset, count);
            }
            catch (Exception ex) when (IsClientGone(ex))
            {
                FailWrites();
            }

            _headSent = true;
        }
        finally
        {
            body.ReleaseAcquired();
        }
    }

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _buffered;

    private bool SendsBody => _bodyAllowed && !_isHead;

    private async ValueTask StartAsync()
    {
        if (!_formatted)
        {
            await _exchange!.StartIfNeededAsync();
            FormatHead(finishing: false);
        }
    }

    private void Count(long bytes)
    {
        _bodyBytes += bytes;
        if (SendsBody && _contentLength is { } length && _bodyBytes > length)
        {
            throw new InvalidOperationException($"Response Content-Length mismatch: too many bytes written ({_bodyBytes} of {length}).");
        }
    }

    private Memory<byte> Reserve(int sizeHint)
    {
        var needed = _buffered + Math.Max(sizeHint, 1);
        if (needed > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 4096));
            _buffer.AsSpan(0, _buffered).CopyTo(larger);
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = larger;
        }

        return _buffer.AsMemory(_buffered);
    }

    private void FormatHead(bool finishing)
    {
        if (_formatted)
        {
            return;
        }

        var exchange = _exchange!;
        var status = exchange.StatusCode;
        var headers = exchange.ResponseHeaders;
        _bodyAllowed = status >= 200 && status is not 204 and not 304;
        _contentLength = headers.ContentLength;
        var addLength = false;
        if (_contentLength is null && _bodyAllowed && !_isHead)
        {
            if (finishing && _bodyBytes == 0)
            {
                addLength = true;
                _contentLength = 0;
            }
            else
            {
                CloseAfter = true;
            }
        }

        if (_contentLength is { } length && SendsBody && _bodyBytes > length)
        {
            throw new InvalidOperationException($"Response Content-Length mismatch: too many bytes written ({_bodyBytes} of {length}).");
        }

        _headLength = 0;
        Append("HTTP/1.1 ");
        Append(status.ToString(CultureInfo.InvariantCulture));
        Append(" ");
        Append(exchange.ReasonPhrase ?? ReasonPhrases.GetReasonPhrase(status));
        Append("\r\n");
        // Through the interface the enumerator would be boxed on every response.
        if (headers is HeaderDictionary fields)
        {
            foreach (var (name, values) in fields)
            {
                AppendFields(name, values);
            }
        }
        else
        {
            foreach (var (name, values) in headers)
            {
                AppendFields(name, values);
            }
        }

        if (addLength)
        {
            Append("Content-Length: 0\r\n");
        }

        if (!headers.ContainsKey("Date"))
        {
            AppendDate();
        }

        // RFC 9112 §9.6: the last response on a connection says so.
        if ((CloseAfter || _close) && !SaysClose(headers.Connection))
        {
            Append("Connection: close\r\n");
        }

        Append("\r\n");
        _formatted = true;
    }

    /// <summary>Whether Connection field lines say <c>close</c>, without boxing them (LINQ's Contains would).</summary>
    internal static bool SaysClose(StringValues connection)
    {
        foreach (var line in connection)
        {
            if (HopByHop.HasClose(line))
            {
                return true;
            }
        }

        return false;
    }

    private void AppendFields(string name, StringValues values)
    {
        if (!IsToken(name))
        {
            throw new InvalidOperationException($"Invalid response field name '{name}'.");
        }

        foreach (var value in values)
        {
            AppendField(name, value ?? "");
        }
    }

    private void AppendField(string name, string value)
    {
        foreach (var c in value)
        {
            // Kestrel's rule, with Latin-1 field values allowed as the server allows them.
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF)
            {
                throw new InvalidOperationException($"Invalid character in the value of response field '{name}'.");
            }
        }

        Append(name);
        Append(": ");
        Append(value);
        Append("\r\n");
    }

    private void AppendDate()
    {
        var now = time.GetUtcNow();
        var second = now.ToUnixTimeSeconds();
        if (second != _dateSecond)
        {
            _date = System.Text.Encoding.ASCII.GetBytes("Date: " + now.ToString("r", CultureInfo.InvariantCulture) + "\r\n");
            _dateSecond = second;
        }

        EnsureHead(_date.Length);
        _date.CopyTo(_head, _headLength);
        _headLength += _date.Length;
    }

    private void Append(string text)
    {
        EnsureHead(text.Length);
        foreach (var c in text)
        {
            _head[_headLength++] = (byte)c;
        }
    }

    private void EnsureHead(int more)
    {
        if (_headLength + more > _head.Length)
        {
            Array.Resize(ref _head, Math.Max(_head.Length * 2, _headLength + more));
        }
    }

    private static bool IsToken(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c > 0x7E || c <= 0x20 || "\"(),/:;<=>?@[\\]{}".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Sends the head (once), what the handler buffered, and <paramref name="body"/>, in that order.</summary>
    private async ValueTask SendAsync(ReadOnlyMemory<byte> body)
    {
        if (!SendsBody)
        {
            _buffered = 0;
        }

        var head = _headSent ? 0 : _headLength;
        var total = head + _buffered + body.Length;
        if (total == 0 || Failed)
        {
            _buffered = 0;
            return;
        }

        try
        {
            if (total <= GatherBytes || !MemoryMarshal.TryGetArray(body, out var bodyArray))
            {
                // Gather into the head buffer and send it whole.
                EnsureHead(_buffered + body.Length);
                var at = _headSent ? 0 : _headLength;
                _buffer.AsSpan(0, _buffered).CopyTo(_head.AsSpan(at));
                body.Span.CopyTo(_head.AsSpan(at + _buffered));
                await sender.SendAsync(_head.AsMemory(0, total));
            }
            else
            {
                _segments.Clear();
                if (head > 0)
                {
                    _segments.Add(new ArraySegment<byte>(_head, 0, head));
                }

                if (_buffered > 0)
                {
                    _segments.Add(new ArraySegment<byte>(_buffer, 0, _buffered));
                }

                _segments.Add(bodyArray);
                await sender.SendAsync(_segments, total);
            }
        }
        catch (Exception ex) when (IsClientGone(ex))
        {
            FailWrites();
        }

        _headSent = true;
        _buffered = 0;
    }

    private static bool IsClientGone(Exception ex) => ex is SocketException or ObjectDisposedException or IOException or OperationCanceledException;

    /// <summary>As under Kestrel: the handler's writes from here on are dropped and its request is aborted.</summary>
    private void FailWrites()
    {
        Failed = true;
        _exchange!.Fail();
    }
}
