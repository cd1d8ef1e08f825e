using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using EdgeFleet.Http;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace EdgeFleet.Cache.Direct;

/// <summary>
/// One public connection. Request heads are read here, strictly (<see cref="Http1RequestHead"/>);
/// a plain GET or HEAD for a stored object is answered on the socket by the same middleware that
/// runs under Kestrel (<see cref="DirectPath"/>), and every other request is handed to Kestrel,
/// which sees a connection of its own: the head bytes as they came, and its response bytes are
/// sent on in order. A request with a body, or one whose end is not certain, hands the rest of
/// the connection to Kestrel. Responses leave in request order: the next request is read only
/// after the previous response was sent.
/// </summary>
internal sealed class DirectConnection : IDisposable
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    // How long an abort from Kestrel's side waits for the relay to send what came before it.
    private static readonly TimeSpan RelayGrace = TimeSpan.FromSeconds(5);

    private readonly ConnectionContext _connection;
    private readonly ConnectionDelegate _kestrel;
    private readonly DirectPath _path;
    private readonly SocketSender _sender;
    private readonly IDuplexPipe _client;
    private readonly Http1RequestHead _head = new();
    private readonly DirectResponseWriter _writer;
    private readonly DirectExchange _exchange;
    private readonly CancellationTokenSource _reading = new();
    private Pipe? _toKestrel;
    private Pipe? _fromKestrel;
    private Task? _kestrelSession;
    private volatile bool _kestrelResponded;
    private volatile bool _kestrelWillClose;
    private volatile bool _relaying;

    // An abort from Kestrel's side that the relay has yet to carry out (see AbortFromKestrel).
    private ConnectionAbortedException? _kestrelAbort;

    public DirectConnection(ConnectionContext connection, ConnectionDelegate kestrel, DirectPath path, Socket socket)
    {
        _connection = connection;
        _kestrel = kestrel;
        _path = path;
        _client = connection.Transport;
        SocketSender.LimitUnsentBytes(socket, path.UnsentLimitBytes);
        _sender = new SocketSender(socket, connection, path.MinResponseDataRate);
        _writer = new DirectResponseWriter(_sender, path.Time);
        _exchange = new DirectExchange(_writer, connection.LocalEndPoint as IPEndPoint, connection.RemoteEndPoint as IPEndPoint, connection.ConnectionId);
    }

    /// <summary>Called by the Kestrel-side pipeline when a handed-over request's response is complete.</summary>
    public void KestrelResponded(bool willClose)
    {
        _kestrelWillClose = willClose;
        _kestrelResponded = true;
        _fromKestrel?.Reader.CancelPendingRead();
    }

    public async Task RunAsync()
    {
        _connection.Features.Set(this);
        using var closing = _connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested
            .Register(static state => ((DirectConnection)state!).StopReading(), this);
        try
        {
            await ServeAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ConnectionResetException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away, or read too slowly.
        }
        finally
        {
            await EndKestrelSessionAsync();
            _exchange.Fail();
            Dispose();
        }
    }

    public void Dispose()
    {
        _reading.Dispose();
        _exchange.Dispose();
        _sender.Dispose();
    }

    private void StopReading()
    {
        try
        {
            _reading.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection already ended.
        }
    }

    private async Task ServeAsync()
    {
        var input = _client.Input;

        // As Kestrel: the keep-alive timeout until a request starts, the head timeout while one arrives.
        _reading.CancelAfter(_path.KeepAliveTimeout);

        // How much of an unfinished head at the buffer's start was already checked for bare LFs.
        long scanned = 0;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(_reading.Token);
            }
            catch (OperationCanceledException)
            {
                // Idle too long, a head too slow, or the server is stopping.
                return;
            }

            var buffer = result.Buffer;
            while (TryTakeHead(ref buffer, out var raw, out var head))
            {
                scanned = 0;
                if (raw.Length > _path.MaxHeadBytes)
                {
                    // Past the head limits: Kestrel answers that (431) by its own rules.
                    await PassThroughAsync(input, raw, buffer);
                    return;
                }

                _head.Parse(head.IsSingleSegment ? head.FirstSpan : head.ToArray());
                if (_head.Kind == RequestHeadKind.Opaque)
                {
                    await PassThroughAsync(input, raw, buffer);
                    return;
                }

                var keepOpen = _head.Kind == RequestHeadKind.Answerable && !HasFleetFields(_head) && await TryAnswerAsync() is { } answered
                    ? answered
                    : await HandOverAsync(raw);
                if (!keepOpen)
                {
                    return;
                }
            }

            // A head past the limits, or one whose lines end in a bare LF (it would never end in
            // CRLF CRLF here): Kestrel answers both by its own rules.
            if (buffer.Length > _path.MaxHeadBytes || HasBareLineFeed(buffer, scanned))
            {
                await PassThroughAsync(input, ReadOnlySequence<byte>.Empty, buffer);
                return;
            }

            scanned = buffer.Length;

            if (result.IsCompleted)
            {
                return;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            _reading.CancelAfter(buffer.IsEmpty ? _path.KeepAliveTimeout : _path.HeadTimeout);
        }
    }

    private static bool TryTakeHead(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> raw, out ReadOnlySequence<byte> head)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out head, HeadEnd, advancePastDelimiter: true))
        {
            raw = default;
            return false;
        }

        raw = buffer.Slice(0, reader.Position);
        buffer = buffer.Slice(reader.Position);
        return true;
    }

    /// <summary>Whether an LF at or after <paramref name="from"/> follows something other than CR.</summary>
    internal static bool HasBareLineFeed(ReadOnlySequence<byte> buffer, long from)
    {
        var previous = from > 0 ? buffer.Slice(from - 1, 1).FirstSpan[0] : (byte)0;
        foreach (var segment in buffer.Slice(from))
        {
            var span = segment.Span;
            for (var at = span.IndexOf((byte)'\n'); at >= 0; at = span.IndexOf((byte)'\n'))
            {
                if ((at == 0 ? previous : span[at - 1]) != '\r')
                {
                    return true;
                }

                span = span[(at + 1)..];
                previous = (byte)'\n';
            }

            if (!span.IsEmpty)
            {
                previous = span[^1];
            }
        }

        return false;
    }

    // The fleet's own fields (leases for edges) are the Kestrel side's business.
    private static bool HasFleetFields(Http1RequestHead head)
    {
        foreach (var (name, _) in head.Fields)
        {
            if (name.StartsWith(Fleet.FleetHeaders.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Runs the handler on the request; null when it could not answer from storage and nothing
    /// was sent (the request then goes to Kestrel), else whether the connection stays open.
    /// </summary>
    private async ValueTask<bool?> TryAnswerAsync()
    {
        _reading.CancelAfter(Timeout.InfiniteTimeSpan);
        _exchange.Reset(_head);
        bool answered;
        try
        {
            answered = await _path.AnswerAsync(_exchange);
        }
        catch (Exception ex) when (!_exchange.HasStarted)
        {
            // Kestrel's side runs the same request and answers the failure as it always does.
            _path.Failed(ex);
            return null;
        }

        if (!answered)
        {
            return null;
        }

        var open = await _writer.FinishAsync();
        await _exchange.FireOnCompletedAsync();
        return open && !_exchange.AbortRequested && !_head.Close && !DirectResponseWriter.SaysClose(_exchange.ResponseHeaders.Connection);
    }

    /// <summary>Gives one bodiless request to Kestrel and sends its response; whether the connection stays open.</summary>
    private async Task<bool> HandOverAsync(ReadOnlySequence<byte> raw)
    {
        _reading.CancelAfter(Timeout.InfiniteTimeSpan);
        StartKestrelSessionIfNeeded();
        _kestrelResponded = false;
        _kestrelWillClose = false;
        bool open;
        _relaying = true;
        try
        {
            foreach (var segment in raw)
            {
                await _toKestrel!.Writer.WriteAsync(segment);
            }

            open = await RelayAsync(_fromKestrel!.Reader, wholeSession: false);
        }
        finally
        {
            _relaying = false;
        }

        return !AbortedMeanwhile() && open;
    }

    // Sends what Kestrel writes, for one request until it says the response is complete, or for
    // the whole session until it closes its side; whether the connection stays open.
    private async Task<bool> RelayAsync(PipeReader reader, bool wholeSession)
    {
        while (true)
        {
            if (Interlocked.Exchange(ref _kestrelAbort, null) is { } abort)
            {
                await AbortAfterRelayAsync(reader, abort);
                return false;
            }

            if (!wholeSession && _kestrelResponded)
            {
                // Everything the response wrote was flushed before Kestrel said it was complete.
                while (reader.TryRead(out var rest))
                {
                    if (rest.Buffer.IsEmpty)
                    {
                        reader.AdvanceTo(rest.Buffer.End);
                        break;
                    }

                    await SendAsync(rest.Buffer);
                    reader.AdvanceTo(rest.Buffer.End);
                }

                return !_kestrelWillClose;
            }

            var result = await reader.ReadAsync();
            if (!result.Buffer.IsEmpty)
            {
                await SendAsync(result.Buffer);
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                // Kestrel closed its connection (an error, or a response it ends that way).
                return false;
            }
        }
    }

    /// <summary>The rest of the connection is Kestrel's: what was read so far, then everything else.</summary>
    private async Task PassThroughAsync(PipeReader input, ReadOnlySequence<byte> raw, ReadOnlySequence<byte> rest)
    {
        _reading.CancelAfter(Timeout.InfiniteTimeSpan);
        StartKestrelSessionIfNeeded();
        var toKestrel = _toKestrel!.Writer;
        foreach (var segment in raw)
        {
            await toKestrel.WriteAsync(segment);
        }

        foreach (var segment in rest)
        {
            await toKestrel.WriteAsync(segment);
        }

        input.AdvanceTo(rest.End);
        var inbound = CopyInboundAsync(input, toKestrel);
        _relaying = true;
        try
        {
            await RelayAsync(_fromKestrel!.Reader, wholeSession: true);
        }
        finally
        {
            _relaying = false;
        }

        AbortedMeanwhile();
        input.CancelPendingRead();
        await inbound;
    }

    /// <summary>
    /// Kestrel aborted its side (say, an origin body that ended short): what it wrote before that
    /// is still sent, so the client sees the response start and then the cut, and only then is
    /// the connection aborted.
    /// </summary>
    private async Task AbortAfterRelayAsync(PipeReader reader, ConnectionAbortedException abort)
    {
        try
        {
            while (reader.TryRead(out var rest) && !rest.Buffer.IsEmpty)
            {
                await SendAsync(rest.Buffer);
                reader.AdvanceTo(rest.Buffer.End);
            }
        }
        finally
        {
            _connection.Abort(abort);
        }
    }

    // From Kestrel's side: while a response of its own is being relayed, the abort waits for the
    // relay to send what came before it, but at most RelayGrace (the client may not be reading,
    // with no minimum data rate to cut it); otherwise the connection is aborted at once.
    private void AbortFromKestrel(ConnectionAbortedException abort)
    {
        if (!_relaying)
        {
            _connection.Abort(abort);
            return;
        }

        Interlocked.CompareExchange(ref _kestrelAbort, abort, null);
        _fromKestrel?.Reader.CancelPendingRead();
        _ = AbortLaterAsync(abort);

        // The relay may have ended just before the abort was set, without seeing it.
        if (!_relaying)
        {
            AbortedMeanwhile();
        }
    }

    private async Task AbortLaterAsync(ConnectionAbortedException abort)
    {
        await Task.Delay(RelayGrace, _path.Time);
        _connection.Abort(abort);
    }

    // An abort from Kestrel that came when the relay had already looked: carried out now.
    private bool AbortedMeanwhile()
    {
        if (Interlocked.Exchange(ref _kestrelAbort, null) is not { } abort)
        {
            return false;
        }

        _connection.Abort(abort);
        return true;
    }

    private static async Task CopyInboundAsync(PipeReader input, PipeWriter toKestrel)
    {
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                if (result.IsCanceled)
                {
                    return;
                }

                foreach (var segment in result.Buffer)
                {
                    await toKestrel.WriteAsync(segment);
                }

                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    await toKestrel.CompleteAsync();
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ConnectionResetException or InvalidOperationException)
        {
            await toKestrel.CompleteAsync(ex);
        }
    }

    private async ValueTask SendAsync(ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            await _sender.SendAsync(segment);
        }
    }

    private void StartKestrelSessionIfNeeded()
    {
        if (_kestrelSession is { IsCompleted: false })
        {
            return;
        }

        // First hand-over, or Kestrel ended an idle session (its keep-alive timeout ran out while
        // this connection was answering directly): a new session on the same connection.
        _toKestrel?.Writer.Complete();
        _fromKestrel?.Reader.Complete();
        _toKestrel = new Pipe();
        _fromKestrel = new Pipe();
        _kestrelSession = RunKestrelSessionAsync(new KestrelView(this, new Transport.DuplexPipe(_toKestrel.Reader, _fromKestrel.Writer)), _fromKestrel.Writer);
    }

    private async Task RunKestrelSessionAsync(KestrelView view, PipeWriter output)
    {
        try
        {
            await _kestrel(view);
        }
        finally
        {
            // Kestrel may end a session without completing its output; what it wrote is still
            // sent, and then the reader learns that nothing more comes.
            await output.CompleteAsync();
        }
    }

    private async Task EndKestrelSessionAsync()
    {
        if (_kestrelSession is null)
        {
            return;
        }

        await _toKestrel!.Writer.CompleteAsync();
        await _fromKestrel!.Reader.CompleteAsync();
        try
        {
            await _kestrelSession;
        }
        catch (Exception ex)
        {
            _path.Failed(ex);
        }
    }

    /// <summary>
    /// The connection as Kestrel's HTTP layer sees it: the same features, addresses and lifetime,
    /// its own pipes, and an abort that lets the relay send what Kestrel wrote first.
    /// </summary>
    private sealed class KestrelView(DirectConnection owner, IDuplexPipe transport) : ConnectionContext
    {
        public override string ConnectionId
        {
            get => owner._connection.ConnectionId;
            set => owner._connection.ConnectionId = value;
        }

        public override IFeatureCollection Features => owner._connection.Features;

        public override IDictionary<object, object?> Items
        {
            get => owner._connection.Items;
            set => owner._connection.Items = value;
        }

        public override IDuplexPipe Transport { get; set; } = transport;

        public override CancellationToken ConnectionClosed
        {
            get => owner._connection.ConnectionClosed;
            set => owner._connection.ConnectionClosed = value;
        }

        public override EndPoint? LocalEndPoint
        {
            get => owner._connection.LocalEndPoint;
            set => owner._connection.LocalEndPoint = value;
        }

        public override EndPoint? RemoteEndPoint
        {
            get => owner._connection.RemoteEndPoint;
            set => owner._connection.RemoteEndPoint = value;
        }

        public override void Abort(ConnectionAbortedException abortReason) => owner.AbortFromKestrel(abortReason);
    }
}
