using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace EdgeFleet.Cache.Transport;

/// <summary>
/// The public connections' readers: one thread per core, each with its own connections, read as
/// nginx's workers read theirs. A thread waits in <c>epoll_wait</c> (edge-triggered) on its own
/// epoll instance, reads each connection that became readable once, in the order the kernel
/// reported them, and runs what the bytes start (a hit is answered on that thread) before it goes
/// to the next. A connection is read again only after the kernel reports new bytes, so a client
/// that answers quickly is not served twice while others in the same round wait.
/// </summary>
/// <remarks>
/// <para>
/// A thread also serves a sibling's connections when they would otherwise wait for it: after each
/// round it looks at each sibling, and from one that has begun no round since the last look
/// (stopped by the kernel mid-round or before it could run; the kernel often puts two loop
/// threads on one core beside a busy neighbour) it takes up to <see cref="StealBatch"/> ready
/// connections. A thread takes few of its own at a time (<see cref="Capacity"/>), so little waits
/// with it when the kernel stops it. Measured by <c>make bench</c> on two cores, 1 KiB hits at 64
/// connections: p99 2.2 ms against 4.9 ms without (see the README).
/// </para>
/// <para>
/// So a connection is worked on by whichever thread took its event, one thread at a time
/// (<see cref="EventLoopConnection.Dispatch"/>): an event that comes while another thread has
/// the connection's turn is left for that thread, which looks again before it lets the turn go.
/// Other threads hand work to a connection through <see cref="Post"/>; its home thread does it
/// after its current round, or a sibling that finds the home thread stalled.
/// </para>
/// </remarks>
internal sealed unsafe class EventLoop : IDisposable
{
    /// <summary>
    /// Ready connections a thread takes from its own list per wait: few, since what a thread has
    /// taken waits for it if the kernel stops it mid-round, while what it left can be taken by a sibling.
    /// </summary>
    private const int Capacity = 16;

    /// <summary>Ready connections a thread takes from a sibling's list at a time.</summary>
    private const int StealBatch = 8;

    private const ulong WakeUpData = 0;
    private const ulong StopData = ulong.MaxValue;

    [ThreadStatic]
    private static LoopThread? _current;

    private readonly LoopThread[] _threads;

    // Written once to stop: watched level-triggered by every thread and never read, so a sibling
    // that takes it from a thread's list (edge-triggered wake-ups are taken once) leaves it there.
    private readonly int _stop;
    private int _next;
    private int _running;

    // Threads inside Register, Post or Dispose: the last loop thread closes the descriptors only
    // when none is left, so a late call never reaches a descriptor number the process has since reused.
    private int _posters;
    private int _stopped;
    private volatile bool _stopping;

    public EventLoop(int threads, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Logger = logger;
        _stop = Epoll.CreateWakeUp();
        _threads = new LoopThread[threads];
        for (var i = 0; i < threads; i++)
        {
            _threads[i] = new LoopThread(this, i);
        }

        _running = threads;
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    public ILogger Logger { get; }

    /// <summary>How many threads read the connections.</summary>
    public int ThreadCount => _threads.Length;

    /// <summary>How many connections each thread watches now, in thread order.</summary>
    public int[] ConnectionsPerThread => [.. _threads.Select(t => t.Connections.Count)];

    /// <summary>Starts watching <paramref name="connection"/> on the next thread in turn (on the accepting thread); throws when the kernel refuses.</summary>
    public void Register(EventLoopConnection connection)
    {
        // Counted as a poster: the epoll descriptors stay open until it is done.
        Interlocked.Increment(ref _posters);
        try
        {
            if (Volatile.Read(ref _stopped) != 0)
            {
                throw new IOException("The event loop has stopped.");
            }

            var home = _threads[(int)((uint)Interlocked.Increment(ref _next) % (uint)_threads.Length)];
            connection.Home = home.Index;
            home.Connections[connection.Id] = connection;
            try
            {
                Epoll.Watch(home.Epoll, connection.Fd, Epoll.In | Epoll.Out | Epoll.PeerClosed | Epoll.EdgeTriggered, connection.Id);
            }
            catch
            {
                home.Connections.TryRemove(connection.Id, out _);
                throw;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _posters);
        }
    }

    /// <summary>Stops watching <paramref name="connection"/> (in its turn, on a loop thread).</summary>
    public void Forget(EventLoopConnection connection)
    {
        var home = _threads[connection.Home];
        if (home.Connections.TryRemove(connection.Id, out _))
        {
            Epoll.Forget(home.Epoll, connection.Fd);
        }
    }

    /// <summary>
    /// Asks a loop thread to do <paramref name="work"/> (<see cref="EventLoopConnection.ReadWork"/>
    /// or <see cref="EventLoopConnection.CloseWork"/>) in <paramref name="connection"/>'s turn.
    /// </summary>
    public void Post(EventLoopConnection connection, uint work)
    {
        Interlocked.Increment(ref _posters);
        try
        {
            if (Volatile.Read(ref _stopped) != 0)
            {
                // The server is stopping: nothing reads any more, only the input still has to end.
                if ((work & EventLoopConnection.CloseWork) != 0)
                {
                    connection.CloseOnLoop();
                }

                return;
            }

            var home = _threads[connection.Home];
            home.Posted.Enqueue((connection, work));

            // A loop thread drains its queue after every round and does not sleep while it holds
            // anything, so its own post needs no wake-up.
            if (_current != home && Interlocked.Exchange(ref home.WakeUpPending, 1) == 0)
            {
                Epoll.Signal(home.WakeUp);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _posters);
        }
    }

    /// <summary>
    /// Reads <paramref name="connection"/> again after this thread's round: it had more than one
    /// turn's worth, and the others come first. The calling thread keeps the connection's turn.
    /// </summary>
    public static void ReadAgain(EventLoopConnection connection) => _current!.Again.Add(connection);

    public void Dispose()
    {
        Interlocked.Increment(ref _posters);
        try
        {
            _stopping = true;
            if (Volatile.Read(ref _stopped) == 0)
            {
                Epoll.Signal(_stop);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _posters);
        }

        if (_current?.Loop != this)
        {
            foreach (var thread in _threads)
            {
                thread.Join();
            }
        }
    }

    private void Run(LoopThread self)
    {
        _current = self;

        // Room for a wait on its own list and for one on a sibling's.
        var events = (byte*)NativeMemory.Alloc((nuint)(Math.Max(Capacity, StealBatch) * Epoll.EventSize));
        try
        {
            while (!_stopping)
            {
                Volatile.Write(ref self.Rounds, self.Rounds + 1);

                // With work left over from the last round (reads past a turn, or a post this
                // thread made after the queue was drained), only look for new events.
                var count = Epoll.Wait(self.Epoll, events, Capacity, self.Again.Count > 0 || !self.Posted.IsEmpty ? 0 : -1);
                Handle(self, events, count);
                DrainPosted(self);
                if (self.Again.Count > 0)
                {
                    // Swapped first: a connection that again reads a whole turn goes to the next round.
                    var turn = self.Again;
                    (self.Again, self.Spare) = (self.Spare, turn);
                    foreach (var connection in turn)
                    {
                        connection.Resume();
                    }

                    turn.Clear();
                }

                StealFromStalled(self, events);
            }
        }
        finally
        {
            NativeMemory.Free(events);
            if (Interlocked.Decrement(ref _running) == 0)
            {
                StopLast();
            }
        }
    }

    // A sibling that has not begun a round since this thread last looked (stopped by the kernel
    // mid-round or before it could run) may have connections ready that would wait for it: take
    // a few and serve them here. An idle sibling, asleep in its wait, looks the same; the look
    // then finds nothing (or what the kernel is waking it for). A thread with nothing of its own
    // sleeps rather than look: waking it for its siblings' events cost more than it saved.
    private void StealFromStalled(LoopThread self, byte* events)
    {
        for (var i = 1; i < _threads.Length; i++)
        {
            var sibling = _threads[(self.Index + i) % _threads.Length];
            var rounds = Volatile.Read(ref sibling.Rounds);
            if (rounds != self.Seen[sibling.Index])
            {
                self.Seen[sibling.Index] = rounds;
                continue;
            }

            Handle(sibling, events, Epoll.Wait(sibling.Epoll, events, StealBatch, 0));

            // Its queue too: what it posted to itself has no wake-up.
            DrainPosted(sibling);
        }
    }

    // What a wait on <paramref name="owner"/>'s list reported, done on the calling thread.
    private static void Handle(LoopThread owner, byte* events, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var data = Epoll.DataAt(events, i);
            if (data == WakeUpData)
            {
                // Drained, then cleared, then the queue is read (by the caller): a post after the
                // clear signals again, and one before it is in the queue.
                Epoll.Drain(owner.WakeUp);
                Volatile.Write(ref owner.WakeUpPending, 0);
            }
            else if (data != StopData && owner.Connections.TryGetValue(data, out var connection))
            {
                var ready = Epoll.EventsAt(events, i);
                try
                {
                    if ((ready & (Epoll.Out | Epoll.HangUp | Epoll.Error)) != 0)
                    {
                        // Room to send is only reported, never worked on: no turn needed. The
                        // waiting sender goes on here (inline).
                        connection.ReportRoom();
                    }

                    if ((ready & EventLoopConnection.ReadEvents) != 0)
                    {
                        connection.Dispatch(ready & EventLoopConnection.ReadEvents);
                    }
                }
                catch (Exception ex)
                {
                    // Here from a room waiter's continuation (a turn catches its own failures).
                    connection.Fail(ex);
                }
            }
        }
    }

    private static void DrainPosted(LoopThread owner)
    {
        while (owner.Posted.TryDequeue(out var posted))
        {
            posted.Connection.Dispatch(posted.Work);
        }
    }

    private void StopLast()
    {
        Interlocked.Exchange(ref _stopped, 1);
        var spin = default(SpinWait);
        while (Volatile.Read(ref _posters) != 0)
        {
            spin.SpinOnce();
        }

        foreach (var thread in _threads)
        {
            foreach (var connection in thread.Connections.Values)
            {
                connection.CloseOnLoop();
            }

            while (thread.Posted.TryDequeue(out var posted))
            {
                posted.Connection.CloseOnLoop();
            }

            thread.CloseDescriptors();
        }

        Epoll.Close(_stop);
    }

    /// <summary>One loop thread: its own connections, epoll instance and queue, and the lists it keeps while it runs.</summary>
    private sealed class LoopThread
    {
        // Rounds this thread began: a sibling that sees no change between two of its own rounds
        // takes some of this thread's ready connections.
        public long Rounds;
        public int WakeUpPending;

        private readonly Thread _thread;

        public LoopThread(EventLoop loop, int index)
        {
            Loop = loop;
            Index = index;
            Epoll = Transport.Epoll.Create();
            WakeUp = Transport.Epoll.CreateWakeUp();
            Transport.Epoll.Watch(Epoll, WakeUp, Transport.Epoll.In | Transport.Epoll.EdgeTriggered, WakeUpData);
            Transport.Epoll.Watch(Epoll, loop._stop, Transport.Epoll.In, StopData);
            Seen = new long[loop.ThreadCount];
            _thread = new Thread(() => loop.Run(this)) { IsBackground = true, Name = $"EdgeFleet loop {index}" };
        }

        public EventLoop Loop { get; }

        public int Index { get; }

        /// <summary>The epoll instance its own connections (and its wake-up) are watched on.</summary>
        public int Epoll { get; }

        public int WakeUp { get; }

        /// <summary>Each sibling's <see cref="Rounds"/> when this thread last looked.</summary>
        public long[] Seen { get; }

        public ConcurrentDictionary<ulong, EventLoopConnection> Connections { get; } = new();

        public ConcurrentQueue<(EventLoopConnection Connection, uint Work)> Posted { get; } = new();

        public List<EventLoopConnection> Again { get; set; } = [];

        public List<EventLoopConnection> Spare { get; set; } = [];

        public void Start() => _thread.Start();

        public void Join() => _thread.Join();

        public void CloseDescriptors()
        {
            Transport.Epoll.Close(WakeUp);
            Transport.Epoll.Close(Epoll);
        }
    }
}
