using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace EdgeFleet.Cache;

/// <summary>
/// Where the cache's code runs. By default the public connections are read by the cache's own
/// event loops (<see cref="Transport.EventLoopTransport"/>, one thread per core) and a memory hit
/// is read, looked up and sent by the loop that saw its bytes arrive, as an nginx worker does, with
/// no hand-off to the thread pool. The runtime completes its other socket operations (origin and
/// admin connections, a send that waits for room) on its own event threads
/// (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>); with the loops off
/// (<c>--event-loops 0</c>) Kestrel's socket transport runs the public connections' continuations
/// there too, which measured with 256 connections on two cores took 1 KiB hits from 0.78 to 1.06
/// and 64 KiB hits from 0.82 to 1.02 of nginx. An event thread must not block, so everything that
/// may (disk reads, origin fills, admin requests, requests handed to Kestrel) moves to the thread
/// pool first; see <see cref="LeaveAsync"/>, <see cref="LeaveWithBodyAsync"/> and
/// <see cref="ConnectAsync"/>. Setting the variable to 0 (with the loops off) runs everything on
/// the thread pool.
/// </summary>
internal static class IoThreads
{
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Whether socket operations complete on the runtime's event threads.</summary>
    public static bool InlineCompletions => Environment.GetEnvironmentVariable(InlineCompletionsVariable) == "1";

    /// <summary>
    /// Turns inline completions on unless the environment says otherwise. The runtime reads the
    /// variable when it first uses a socket, so this must run before that, first in the program.
    /// </summary>
    public static void UseInlineCompletionsByDefault()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        }
    }

    /// <summary>Whether the current thread may be an event thread (the thread pool's never are).</summary>
    public static bool MayBeEventThread => !Thread.CurrentThread.IsThreadPoolThread;

    /// <summary>Continues on the thread pool when called elsewhere; at once (no allocation) on a pool thread.</summary>
    public static ValueTask LeaveAsync() => MayBeEventThread ? HopAsync() : ValueTask.CompletedTask;

    /// <summary>
    /// Whether memory hits run on event threads: the direct path reads the public connections,
    /// either on the cache's own event loops or on the runtime's with inline completions (under
    /// plain Kestrel every request would run there).
    /// </summary>
    public static bool HitsOnEventThreads(CacheServerOptions options) => UsesEventLoops(options) || KestrelInlineScheduling(options);

    /// <summary>
    /// Whether the public listener's connections are read by the cache's own event loops
    /// (<see cref="Transport.EventLoopTransport"/>) rather than Kestrel's socket transport: with
    /// direct hits, on Linux, unless <see cref="CacheServerOptions.EventLoops"/> is 0.
    /// </summary>
    public static bool UsesEventLoops(CacheServerOptions options) =>
        options.DirectHits && Transport.EventLoopTransport.IsSupported && options.EventLoopCount > 0;

    /// <summary>Whether Kestrel's socket transport runs its connections' continuations where the runtime completes their reads.</summary>
    public static bool KestrelInlineScheduling(CacheServerOptions options) => InlineCompletions && options.DirectHits;

    /// <summary>
    /// An admin pipeline step: reads the request body into memory first (on an event thread only
    /// bytes are copied), then runs the rest of the pipeline on the thread pool with that body, so
    /// a handler's work after reading it (parsing, purging, applying notices) never runs on an
    /// event thread. Kestrel's body size limit still applies.
    /// </summary>
    public static async Task LeaveWithBodyAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0))
        {
            var body = new MemoryStream();
            await request.Body.CopyToAsync(body, context.RequestAborted);
            body.Position = 0;
            request.Body = body;
            context.Response.RegisterForDispose(body);
        }

        await LeaveAsync();
        await next(context);
    }

    /// <summary>
    /// A <see cref="SocketsHttpHandler.ConnectCallback"/> whose connections continue on the thread
    /// pool after every read or write that had to wait: the code after an origin read (storing,
    /// writing to disk) must not run on an event thread.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            await LeaveAsync();
            var stream = new NetworkStream(socket, ownsSocket: true);
            return InlineCompletions ? new ThreadPoolStream(stream) : stream;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async ValueTask HopAsync()
    {
        await Task.Yield();
    }

    /// <summary>A stream whose awaited reads and writes continue on the thread pool.</summary>
    private sealed class ThreadPoolStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var pending = inner.ReadAsync(buffer, cancellationToken);
            return pending.IsCompleted ? pending : AfterAsync(pending);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var pending = inner.WriteAsync(buffer, cancellationToken);
            return pending.IsCompleted ? pending : AfterAsync(pending);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private static async ValueTask<int> AfterAsync(ValueTask<int> pending)
        {
            var result = await pending;
            await LeaveAsync();
            return result;
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        private static async ValueTask AfterAsync(ValueTask pending)
        {
            await pending;
            await LeaveAsync();
        }
    }
}
