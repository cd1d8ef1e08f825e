using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace EdgeFleet.Cache.Transport;

/// <summary>
/// A public connection read by an <see cref="EventLoop"/>. Its input pipe is written only in its
/// turn on a loop thread (one thread at a time, <see cref="Dispatch"/>), and the pipe runs its
/// reader's continuation at once (inline), so the bytes of a request are parsed and a hit
/// answered on the thread that read them. When the application has not taken what it was given
/// (the pipe's pause threshold), the loop stops reading the socket until it has. Its output pipe is sent by a loop of its own with the runtime's async sends;
/// the direct path sends on the socket itself (<see cref="IConnectionSocketFeature"/>).
/// </summary>
internal sealed class EventLoopConnection : ConnectionContext,
    IConnectionIdFeature, IConnectionTransportFeature, IConnectionItemsFeature, IConnectionLifetimeFeature,
    IConnectionEndPointFeature, IConnectionSocketFeature, ISocketRoomFeature, IValueTaskSource
{
    // A read takes at most this many buffers before the loop goes on to other connections; the
    // rest is read after the round (a client uploading fast cannot hold the loop).
    private const int ReadsPerTurn = 16;

    /// <summary>What epoll reports that is worked on in the connection's turn: bytes, or the end.</summary>
    public const uint ReadEvents = Epoll.In | Epoll.PeerClosed | Epoll.HangUp | Epoll.Error;

    /// <summary>Posted work: read what the socket has (the application made room, or a turn ended).</summary>
    public const uint ReadWork = 1u << 20;

    /// <summary>Posted work: stop watching the socket and end the input.</summary>
    public const uint CloseWork = 1u << 21;

    private static long _lastId;

    private readonly EventLoop _loop;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource _closedOnLoop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action _resume;
    private readonly Task _sending;
    private IDictionary<object, object?>? _items;
    private ConnectionAbortedException? _abortReason;
    private int _closedSignalled;
    private int _inputEnded;

    // The turn: work not yet taken (epoll's bits and the posted ones), and how many asked for it
    // since the turn was last let go. The thread that raises the count from 0 has the turn.
    private uint _work;
    private int _asked;

    // The socket's room to send (ISocketRoomFeature).
    private long _roomReports;
    private int _roomWaiting;
    private volatile bool _sendingEnded;
    private ManualResetValueTaskSourceCore<bool> _room;

    // State of the turn: a flush the application has not made room for yet (the input is
    // paused), and whether the peer ended.
    private Task<FlushResult>? _pausedFlush;
    private bool _peerClosed;

    public EventLoopConnection(Socket socket, EventLoop loop, PipeOptions inputOptions, PipeOptions outputOptions)
    {
        Socket = socket;
        Fd = (int)socket.SafeHandle.DangerousGetHandle();
        _loop = loop;
        Id = (ulong)Interlocked.Increment(ref _lastId);
        ConnectionId = "L" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;
        _input = new Pipe(inputOptions);
        _output = new Pipe(outputOptions);
        Transport = new DuplexPipe(_input.Reader, _output.Writer);
        _resume = () => _loop.Post(this, ReadWork);
        Features = new FeatureCollection();
        Features.Set<IConnectionIdFeature>(this);
        Features.Set<IConnectionTransportFeature>(this);
        Features.Set<IConnectionItemsFeature>(this);
        Features.Set<IConnectionLifetimeFeature>(this);
        Features.Set<IConnectionEndPointFeature>(this);
        Features.Set<IConnectionSocketFeature>(this);
        Features.Set<ISocketRoomFeature>(this);
        _sending = SendOutputAsync();
    }

    /// <summary>The value the loop's epoll reports for this connection; never reused.</summary>
    public ulong Id { get; }

    /// <summary>The loop thread whose epoll instance watches this connection (set when registered).</summary>
    public int Home { get; set; }

    public int Fd { get; }

    public Socket Socket { get; }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; }

    public override IDictionary<object, object?> Items
    {
        get => _items ??= new Dictionary<object, object?>();
        set => _items = value;
    }

    public override IDuplexPipe Transport { get; set; }

    public override CancellationToken ConnectionClosed
    {
        get => _closed.Token;
        set { }
    }

    public override EndPoint? LocalEndPoint { get; set; }

    public override EndPoint? RemoteEndPoint { get; set; }

    /// <summary>
    /// Ends the connection now: both directions of the socket are shut down (a send waiting for
    /// room fails at once) and the application's pending read ends with <paramref name="abortReason"/>.
    /// </summary>
    public override void Abort(ConnectionAbortedException abortReason)
    {
        Interlocked.CompareExchange(ref _abortReason, abortReason, null);
        try
        {
            Socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already shut down or closed.
        }

        _loop.Post(this, CloseWork);
        SignalClosed();
    }

    public override async ValueTask DisposeAsync()
    {
        // The application is done with both pipes.
        await _input.Reader.CompleteAsync();
        await _output.Writer.CompleteAsync();
        _loop.Post(this, CloseWork);
        await _closedOnLoop.Task;
        try
        {
            await _sending;
        }
        finally
        {
            // As Kestrel's socket transport ends a connection.
            try
            {
                Socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // The peer already reset it.
            }

            Socket.Dispose();
            SignalClosed();
        }

        await base.DisposeAsync();
    }

    public long RoomReports => Volatile.Read(ref _roomReports);

    public ValueTask WaitForRoomAsync(long seen)
    {
        if (_sendingEnded)
        {
            // The loop no longer watches this socket: no report would come.
            return ValueTask.FromException(_abortReason ?? new ConnectionAbortedException("The connection has ended."));
        }

        if (RoomReports != seen)
        {
            return default;
        }

        _room.Reset();

        // A full fence: the look below must not move before the waiter is published.
        Interlocked.Exchange(ref _roomWaiting, 1);

        // A report between the first look and publishing the waiter: take the waiter back, unless
        // the loop already took it (then it completes it).
        if (RoomReports != seen && Interlocked.Exchange(ref _roomWaiting, 0) == 1)
        {
            return default;
        }

        return new ValueTask(this, _room.Version);
    }

    void IValueTaskSource.GetResult(short token) => _room.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _room.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _room.OnCompleted(continuation, state, token, flags);

    /// <summary>
    /// Does <paramref name="work"/> in this connection's turn (on a loop thread): at once when no
    /// other thread has the turn, else by that thread before it lets the turn go.
    /// </summary>
    public void Dispatch(uint work)
    {
        Interlocked.Or(ref _work, work);
        if (Interlocked.Increment(ref _asked) == 1)
        {
            Turn(0);
        }
    }

    /// <summary>Reads on in a turn this thread kept (<see cref="EventLoop.ReadAgain"/>).</summary>
    public void Resume() => Turn(ReadWork);

    /// <summary>
    /// Ends the connection after a failure in its work (logged), so that it never ends the loop;
    /// a failed close is only logged.
    /// </summary>
    public void Fail(Exception exception, bool closing = false)
    {
        Log.EventLoopFailed(_loop.Logger, ConnectionId, exception);
        if (!closing)
        {
            // Abort posts the close.
            Abort(new ConnectionAbortedException("The event loop failed on this connection.", exception));
        }
    }

    private void Turn(uint work)
    {
        while (true)
        {
            // Read before the work is taken: every ask counted here has its bits in what is taken.
            var asked = Volatile.Read(ref _asked);
            work |= Interlocked.Exchange(ref _work, 0);
            try
            {
                if (!Act(work))
                {
                    // More to read after the round: this thread keeps the turn.
                    EventLoop.ReadAgain(this);
                    return;
                }
            }
            catch (Exception ex)
            {
                Fail(ex, closing: (work & CloseWork) != 0);
            }

            if (Interlocked.Add(ref _asked, -asked) == 0)
            {
                return;
            }

            work = 0;
        }
    }

    // False when the turn ended with bytes left in the socket.
    private bool Act(uint work)
    {
        if ((work & CloseWork) != 0)
        {
            _loop.Forget(this);
            CloseOnLoop();
            return true;
        }

        return (work & (ReadEvents | ReadWork)) == 0 || ReadOnLoop(work);
    }

    // Reads what the socket has, then gives it to the application; false when a turn's worth
    // was read and more may wait.
    private bool ReadOnLoop(uint events)
    {
        if (Volatile.Read(ref _inputEnded) != 0)
        {
            return true;
        }

        // After a short read the socket is empty, unless the peer also ended: its end is only
        // seen by reading on, and no new event reports it, so that is remembered for later turns.
        _peerClosed |= (events & (Epoll.PeerClosed | Epoll.HangUp | Epoll.Error)) != 0;

        if (_pausedFlush is { } paused)
        {
            // Bytes that arrive meanwhile wait in the socket until the application took enough.
            if (!paused.IsCompleted)
            {
                return true;
            }

            _pausedFlush = null;
            if (paused.Result.IsCompleted)
            {
                EndInput(null);
                return true;
            }
        }

        var writer = _input.Writer;
        for (var turn = 0; ; turn++)
        {
            if (turn == ReadsPerTurn)
            {
                // Someone else's turn; this one continues after the round.
                return !Flush(writer);
            }

            var buffer = writer.GetMemory();
            var got = Epoll.Receive(Socket.SafeHandle, buffer.Span, out var error);
            if (got > 0)
            {
                writer.Advance((int)got);
                if (got < buffer.Length && !_peerClosed)
                {
                    Flush(writer);
                    return true;
                }

                continue;
            }

            if (got == 0)
            {
                // The peer sent all it will (or Abort shut the socket down): the application sees
                // what came first, then the end.
                if (Flush(writer))
                {
                    EndInput(_abortReason);
                }

                return true;
            }

            if (error == Epoll.ErrorInterrupted)
            {
                continue;
            }

            if (error == Epoll.ErrorAgain)
            {
                Flush(writer);
                return true;
            }

            EndInput(_abortReason ?? (Exception)new ConnectionResetException(System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(error)));
            return true;
        }
    }

    /// <summary>Ends the input if it has not ended (in the turn, after the loop stopped watching; or after the loop stopped).</summary>
    public void CloseOnLoop()
    {
        // A sender waiting for room learns of the end when it tries again.
        _sendingEnded = true;
        ReportRoom();
        EndInput(_abortReason);
        _closedOnLoop.TrySetResult();
    }

    /// <summary>Wakes a sender waiting for room (from any thread).</summary>
    public void ReportRoom()
    {
        Interlocked.Increment(ref _roomReports);
        if (Interlocked.Exchange(ref _roomWaiting, 0) == 1)
        {
            _room.SetResult(true);
        }
    }

    // Hands what was written to the application; false when the loop must not read on now
    // (waiting for room, or the application is done with the input).
    private bool Flush(PipeWriter writer)
    {
        var flush = writer.FlushAsync();
        if (!flush.IsCompleted)
        {
            // Rare (a request body larger than the pause threshold), so the Task is no cost.
            _pausedFlush = flush.AsTask();
            _pausedFlush.GetAwaiter().UnsafeOnCompleted(_resume);
            return false;
        }

        if (flush.Result.IsCompleted)
        {
            EndInput(null);
            return false;
        }

        return Volatile.Read(ref _inputEnded) == 0;
    }

    // Once; after the loop stopped, CloseOnLoop may come from the loop's last round and from a
    // late Close at the same time.
    private void EndInput(Exception? error)
    {
        if (Interlocked.Exchange(ref _inputEnded, 1) == 0)
        {
            _input.Writer.Complete(error);
            SignalClosed();
        }
    }

    // Callbacks on ConnectionClosed run on the thread pool, never on the loop; one that throws
    // is logged, as Kestrel's transports do, rather than ending the process.
    private void SignalClosed()
    {
        if (Interlocked.Exchange(ref _closedSignalled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(
                static connection =>
                {
                    try
                    {
                        connection._closed.Cancel();
                    }
                    catch (Exception ex)
                    {
                        Log.ConnectionClosedCallbackFailed(connection._loop.Logger, connection.ConnectionId, ex);
                    }
                },
                this,
                preferLocal: false);
        }
    }

    private async Task SendOutputAsync()
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                foreach (var segment in result.Buffer)
                {
                    for (var rest = segment; !rest.IsEmpty;)
                    {
                        rest = rest[await Socket.SendAsync(rest, SocketFlags.None)..];
                    }
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }

            await reader.CompleteAsync();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            await reader.CompleteAsync(new ConnectionResetException(ex.Message, ex));
            Abort(new ConnectionAbortedException("Sending failed.", ex));
        }
    }
}
