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
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<(EventLoopConnection Connection, LoopWork Work)> _posted = new();
    private readonly Dictionary<ulong, EventLoopConnection> _connections = [];
    private int _wakeUpPending;
    private int _count;
    private volatile bool _stopping;
    private volatile bool _stopped;

    public EventLoop(int index, ILogger logger)
    {
        _logger = logger;
        _epoll = Epoll.Create();
        _wakeUp = Epoll.CreateWakeUp();
        Epoll.Watch(_epoll, _wakeUp, Epoll.In | Epoll.EdgeTriggered, WakeUpData);
        _thread = new Thread(Run) { IsBackground = true, Name = $"EdgeFleet loop {index}" };
        _thread.Start();
    }

    /// <summary>How many connections this loop watches now.</summary>
    public int ConnectionCount => Volatile.Read(ref _count);

    public bool IsLoopThread => Thread.CurrentThread == _thread;

    /// <summary>Asks the loop to do <paramref name="work"/> for <paramref name="connection"/> on its thread.</summary>
    public void Post(EventLoopConnection connection, LoopWork work)
    {
        if (_stopped)
        {
            // The server is stopping: nothing reads any more, only the input still has to end.
            if (work == LoopWork.Close)
            {
                connection.CloseOnLoop();
            }

            return;
        }

        _posted.Enqueue((connection, work));

        // The loop drains the queue after every round, so its own thread needs no wake-up.
        if (!IsLoopThread && Interlocked.Exchange(ref _wakeUpPending, 1) == 0)
        {
            Epoll.Signal(_wakeUp);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        Epoll.Signal(_wakeUp);
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
                var count = Epoll.Wait(_epoll, events, Capacity);
                for (var i = 0; i < count; i++)
                {
                    var data = Epoll.DataAt(events, i);
                    if (data == WakeUpData)
                    {
                        // Cleared before the queue is drained: a post after this point signals again.
                        Volatile.Write(ref _wakeUpPending, 0);
                        Epoll.Drain(_wakeUp);
                    }
                    else if (_connections.TryGetValue(data, out var connection))
                    {
                        Guard(connection, LoopWork.Read, Epoll.EventsAt(events, i));
                    }
                }

                while (_posted.TryDequeue(out var posted))
                {
                    Guard(posted.Connection, posted.Work, 0);
                }
            }
        }
        finally
        {
            _stopped = true;
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
                    Epoll.Watch(_epoll, connection.Fd, Epoll.In | Epoll.PeerClosed | Epoll.EdgeTriggered, connection.Id);
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
            Log.EventLoopFailed(_logger, connection.ConnectionId, ex);
            connection.Abort(new Microsoft.AspNetCore.Connections.ConnectionAbortedException("The event loop failed on this connection.", ex));
            if (work != LoopWork.Close)
            {
                Post(connection, LoopWork.Close);
            }
        }
    }
}

/// <summary>What a loop does for a connection.</summary>
internal enum LoopWork
{
    /// <summary>Start watching it.</summary>
    Register,

    /// <summary>Read what it has (after an event, or when its reader has room again).</summary>
    Read,

    /// <summary>Stop watching it and end its input.</summary>
    Close,
}
