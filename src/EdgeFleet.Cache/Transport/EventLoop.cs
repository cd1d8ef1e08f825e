using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace EdgeFleet.Cache.Transport;

/// <summary>
/// One thread that reads its connections as nginx's workers do: it waits in <c>epoll_wait</c>
/// (edge-triggered), then reads each connection that became readable once, in the order the
/// kernel reported them, and runs what the bytes start (a hit is answered on this thread) before
/// it goes to the next. A connection is read again only after the kernel reports new bytes, so
/// a client that answers quickly is not served twice while others in the same round wait.
/// Everything here (the table, reads, registration, closing) happens on the loop's thread;
/// other threads hand it work through <see cref="Post"/>.
/// </summary>
internal sealed unsafe class EventLoop : IDisposable
{
    private const int Capacity = 512;
    private const ulong WakeUpData = 0;

    private readonly int _epoll;
    private readonly int _wakeUp;
    private readonly Thread _thread;
    private readonly ConcurrentQueue<(EventLoopConnection Connection, LoopWork Work)> _posted = new();
    private readonly Dictionary<ulong, EventLoopConnection> _connections = [];
    private List<EventLoopConnection> _again = [];
    private List<EventLoopConnection> _spare = [];
    private int _wakeUpPending;
    private int _count;

    // Threads inside Post or Dispose: the loop closes its descriptors only when none is left, so
    // a late signal never writes to a descriptor number the process has since reused.
    private int _posters;
    private int _stopped;
    private volatile bool _stopping;

    public EventLoop(int index, ILogger logger)
    {
        Logger = logger;
        _epoll = Epoll.Create();
        _wakeUp = Epoll.CreateWakeUp();
        Epoll.Watch(_epoll, _wakeUp, Epoll.In | Epoll.EdgeTriggered, WakeUpData);
        _thread = new Thread(Run) { IsBackground = true, Name = $"EdgeFleet loop {index}" };
        _thread.Start();
    }

    public ILogger Logger { get; }

    /// <summary>How many connections this loop watches now.</summary>
    public int ConnectionCount => Volatile.Read(ref _count);

    public bool IsLoopThread => Thread.CurrentThread == _thread;

    /// <summary>Asks the loop to do <paramref name="work"/> for <paramref name="connection"/> on its thread.</summary>
    public void Post(EventLoopConnection connection, LoopWork work)
    {
        Interlocked.Increment(ref _posters);
        try
        {
            if (Volatile.Read(ref _stopped) != 0)
            {
                // The server is stopping: nothing reads any more, only the input still has to end.
                if (work == LoopWork.Close)
                {
                    connection.CloseOnLoop();
                }

                return;
            }

            _posted.Enqueue((connection, work));

            // The loop drains the queue after every round and does not sleep while it holds
            // anything, so its own thread needs no wake-up.
            if (!IsLoopThread && Interlocked.Exchange(ref _wakeUpPending, 1) == 0)
            {
                Epoll.Signal(_wakeUp);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _posters);
        }
    }

    /// <summary>
    /// Reads <paramref name="connection"/> again after this round (on the loop's thread): it had
    /// more than one turn's worth, and the others come first.
    /// </summary>
    public void ReadAgain(EventLoopConnection connection) => _again.Add(connection);

    public void Dispose()
    {
        Interlocked.Increment(ref _posters);
        try
        {
            _stopping = true;
            if (Volatile.Read(ref _stopped) == 0)
            {
                Epoll.Signal(_wakeUp);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _posters);
        }

        if (!IsLoopThread)
        {
            _thread.Join();
        }
    }

    private void Run()
    {
        var events = (byte*)NativeMemory.Alloc((nuint)(Capacity * Epoll.EventSize));
        try
        {
            while (!_stopping)
            {
                // With work left over from the last round (reads past a turn, or a post this
                // thread made after the queue was drained), only look for new events.
                var count = Epoll.Wait(_epoll, events, Capacity, _again.Count > 0 || !_posted.IsEmpty ? 0 : -1);
                for (var i = 0; i < count; i++)
                {
                    var data = Epoll.DataAt(events, i);
                    if (data == WakeUpData)
                    {
                        // Drained, then cleared, then the queue is read (below): a post after the
                        // clear signals again, and one before it is in the queue.
                        Epoll.Drain(_wakeUp);
                        Volatile.Write(ref _wakeUpPending, 0);
                    }
                    else if (_connections.TryGetValue(data, out var connection))
                    {
                        Guard(connection, LoopWork.Events, Epoll.EventsAt(events, i));
                    }
                }

                while (_posted.TryDequeue(out var posted))
                {
                    Guard(posted.Connection, posted.Work, 0);
                }

                if (_again.Count > 0)
                {
                    // Swapped first: a connection that again reads a whole turn goes to the next round.
                    var turn = _again;
                    (_again, _spare) = (_spare, turn);
                    foreach (var connection in turn)
                    {
                        Guard(connection, LoopWork.Read, 0);
                    }

                    turn.Clear();
                }
            }
        }
        finally
        {
            Interlocked.Exchange(ref _stopped, 1);
            var spin = default(SpinWait);
            while (Volatile.Read(ref _posters) != 0)
            {
                spin.SpinOnce();
            }

            NativeMemory.Free(events);
            foreach (var connection in _connections.Values)
            {
                connection.CloseOnLoop();
            }

            while (_posted.TryDequeue(out var posted))
            {
                posted.Connection.CloseOnLoop();
            }

            Epoll.Close(_wakeUp);
            Epoll.Close(_epoll);
        }
    }

    // A failure in one connection's work closes that connection, never the loop.
    private void Guard(EventLoopConnection connection, LoopWork work, uint events)
    {
        try
        {
            switch (work)
            {
                case LoopWork.Register:
                    _connections.Add(connection.Id, connection);
                    Interlocked.Increment(ref _count);
                    Epoll.Watch(_epoll, connection.Fd, Epoll.In | Epoll.Out | Epoll.PeerClosed | Epoll.EdgeTriggered, connection.Id);
                    break;
                case LoopWork.Events:
                    connection.OnEvents(events);
                    break;
                case LoopWork.Read:
                    connection.ReadOnLoop(events);
                    break;
                case LoopWork.Close:
                    if (_connections.Remove(connection.Id))
                    {
                        Interlocked.Decrement(ref _count);
                        Epoll.Forget(_epoll, connection.Fd);
                    }

                    connection.CloseOnLoop();
                    break;
            }
        }
        catch (Exception ex)
        {
            Log.EventLoopFailed(Logger, connection.ConnectionId, ex);
            if (work != LoopWork.Close)
            {
                // Abort posts the close.
                connection.Abort(new Microsoft.AspNetCore.Connections.ConnectionAbortedException("The event loop failed on this connection.", ex));
            }
        }
    }
}

/// <summary>What a loop does for a connection.</summary>
internal enum LoopWork
{
    /// <summary>Start watching it.</summary>
    Register,

    /// <summary>Act on what epoll reported.</summary>
    Events,

    /// <summary>Read what it has (its reader has room again, or a turn ended).</summary>
    Read,

    /// <summary>Stop watching it and end its input.</summary>
    Close,
}
