using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using EdgeFleet.Cache.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static EdgeFleet.Cache.FunctionalTests.DirectConnectionTests;

namespace EdgeFleet.Cache.FunctionalTests;

/// <summary>
/// The public listener's own transport (<see cref="EventLoopTransport"/>): connections spread
/// over the loop threads and read by a sibling when their own thread is held, pipelining
/// connections answered in order, the admin listener left to Kestrel, and the edges of reading
/// with edge-triggered epoll: a client that half-closes, one that sends more than a turn's worth
/// at once, an upload past the input's pause threshold, a reset, and a stop with idle connections.
/// </summary>
public sealed class EventLoopTransportTests
{
    [Fact]
    public async Task PublicConnections_SpreadOverTheLoops_AdminStaysWithKestrel()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        await using var cache = await StartHoldingAAsync(origin, "--event-loops", "2");
        var transport = cache.Services.GetRequiredService<EventLoopTransport>();

        var connections = new List<Connection>();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                var connection = await OpenAsync(cache);
                connections.Add(connection);
                await connection.SendAsync(Get("/a"));
                Assert.Equal("200 hit", Summary((await connection.ReadAsync(hasBody: true)).Head));
            }

            // The test's HttpClient still holds the connection that filled the cache.
            var perLoop = transport.ConnectionsPerLoop;
            Assert.Equal(2, perLoop.Length);
            Assert.InRange(perLoop.Sum(), 6, 7);
            Assert.All(perLoop, count => Assert.InRange(count, 3, 4));

            // The admin listener is served (by Kestrel's socket transport) and counted nowhere here.
            Assert.Equal("ok", (await cache.Admin.GetStringAsync("/healthz")).Trim());
            Assert.InRange(transport.ConnectionsPerLoop.Sum(), 6, 7);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }

        // Closed connections leave their loop.
        await CacheServerTests.WaitUntilAsync(() => transport.ConnectionsPerLoop.Sum() <= 1);
    }

    [Fact]
    public async Task EventLoopsZero_PublicListenerOnKestrelsSocketTransport()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        await using var cache = await StartHoldingAAsync(origin, "--event-loops", "0");

        Assert.Null(cache.Services.GetService<EventLoopTransport>());
        await using var connection = await OpenAsync(cache);
        await connection.SendAsync(Get("/a") + Get("/a"));
        Assert.Equal("200 hit", Summary((await connection.ReadAsync(hasBody: true)).Head));
        Assert.Equal("200 hit", Summary((await connection.ReadAsync(hasBody: true)).Head));
    }

    [Fact]
    public async Task ClientHalfClosesAfterItsRequests_StillGetsEveryAnswer_ThenTheEnd()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        await using var cache = await StartHoldingAAsync(origin);
        await using var connection = await OpenAsync(cache);

        // The requests and the FIN arrive together: the loop must read past the short read to see the end.
        await connection.SendAsync(Get("/a") + Get("/a"));
        connection.EndSending();

        Assert.Equal("200 hit", Summary((await connection.ReadAsync(hasBody: true)).Head));
        Assert.Equal("200 hit", Summary((await connection.ReadAsync(hasBody: true)).Head));
        Assert.Equal(0, await connection.ReadByteCountAsync());
    }

    [Fact]
    public async Task ThousandsOfPipelinedRequestsAndTheEnd_InOneWrite_AllAnsweredInOrder_ThenClosed()
    {
        const int Count = 3000;
        await using var origin = await ScriptedOrigin.StartAsync();

        // Both stored first: a miss would go to Kestrel, which takes the client's end for a
        // disconnect and drops the request (as nginx does unless told to ignore client aborts).
        await using var cache = await StartHoldingAAndBAsync(origin);
        await using var connection = await OpenAsync(cache);

        // About 100 KiB of requests: more than one turn of reads (16 buffers) at once.
        var requests = new StringBuilder();
        for (var i = 0; i < Count; i++)
        {
            requests.Append(Get(i % 2 == 0 ? "/a" : "/b"));
        }

        // Then the client's end: it comes after more than a turn's worth, so the loop must
        // remember it across turns (no new event reports it).
        Assert.True(requests.Length > 16 * 4096);
        var sending = SendThenEndAsync();
        for (var i = 0; i < Count; i++)
        {
            var (_, body) = await connection.ReadAsync(hasBody: true);
            Assert.Equal(i % 2 == 0 ? "aaaa" : "bbbbbbbb", Encoding.ASCII.GetString(body));
        }

        await sending;
        Assert.Equal(0, await connection.ReadByteCountAsync());
        Assert.Equal(1, origin.Count("/a"));
        Assert.Equal(1, origin.Count("/b"));

        async Task SendThenEndAsync()
        {
            await connection.SendAsync(requests.ToString());
            connection.EndSending();
        }
    }

    [Fact]
    public async Task ManyConnectionsPipelining_OnTwoLoopThreads_EachGetsEveryAnswerInOrder()
    {
        const int Connections = 32;
        const int Requests = 300;
        await using var origin = await ScriptedOrigin.StartAsync();
        await using var cache = await StartHoldingAAndBAsync(origin, "--event-loops", "2");

        // Each connection's requests in a few writes, all connections at once: whichever thread
        // takes a connection's bytes, its answers must come whole and in its order.
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(async c =>
        {
            await using var connection = await OpenAsync(cache);
            var reading = Task.Run(async () =>
            {
                for (var i = 0; i < Requests; i++)
                {
                    var (head, body) = await connection.ReadAsync(hasBody: true);
                    Assert.Equal("200 hit", Summary(head));
                    Assert.Equal((i + c) % 2 == 0 ? "aaaa" : "bbbbbbbb", Encoding.ASCII.GetString(body));
                }
            });
            for (var sent = 0; sent < Requests;)
            {
                var batch = new StringBuilder();
                for (var end = Math.Min(Requests, sent + 75); sent < end; sent++)
                {
                    batch.Append(Get((sent + c) % 2 == 0 ? "/a" : "/b"));
                }

                await connection.SendAsync(batch.ToString());
            }

            await reading;
        })).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, origin.Count("/a"));
        Assert.Equal(1, origin.Count("/b"));
    }

    [Fact]
    public async Task UploadLargerThanTheInputThreshold_ReachesTheOriginWhole()
    {
        // 6 MiB, sent faster than the origin reads it: the input pipe fills past its 1 MiB pause
        // threshold, the loop stops reading, and must read on once the application caught up.
        var upload = RandomNumberGenerator.GetBytes(6 * 1024 * 1024);
        await using var origin = await ScriptedOrigin.StartAsync();
        byte[]? received = null;
        origin.On("/upload", async context =>
        {
            var body = new MemoryStream();
            var buffer = new byte[64 * 1024];
            for (var n = await context.Request.Body.ReadAsync(buffer); n > 0; n = await context.Request.Body.ReadAsync(buffer))
            {
                body.Write(buffer, 0, n);
                await Task.Delay(5);
            }

            received = body.ToArray();
            await context.Response.Body.WriteAsync("stored"u8.ToArray());
        });
        await using var cache = await StartHoldingAAsync(origin, "--event-loops", "1");

        using var content = new ByteArrayContent(upload);
        using var response = await cache.Client.PostAsync("/upload", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("stored", await response.Content.ReadAsStringAsync());
        Assert.Equal(SHA256.HashData(upload), SHA256.HashData(received!));

        // The one loop still serves everyone else.
        Assert.Equal("aaaa", await cache.Client.GetStringAsync("/a"));
    }

    [Fact]
    public async Task ClientResetsMidHead_OthersOnTheSameLoopAreStillServed()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        await using var cache = await StartHoldingAAsync(origin, "--event-loops", "1");
        var transport = cache.Services.GetRequiredService<EventLoopTransport>();
        await using var other = await OpenAsync(cache);

        var resetting = await OpenAsync(cache);
        await resetting.SendAsync("GET /a HTTP/1.1\r\nHo");
        resetting.Reset();
        await resetting.DisposeAsync();

        await other.SendAsync(Get("/a"));
        Assert.Equal("200 hit", Summary((await other.ReadAsync(hasBody: true)).Head));

        // The reset connection left the loop; the other and the filling client's remain.
        await CacheServerTests.WaitUntilAsync(() => transport.ConnectionsPerLoop.Sum() <= 2);
    }

    [Fact]
    public async Task Stop_WithIdleConnections_EndsThemAndDoesNotHang()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        var cache = await StartHoldingAAsync(origin);
        var idle = new List<Connection>();
        for (var i = 0; i < 4; i++)
        {
            var connection = await OpenAsync(cache);
            await connection.SendAsync(Get("/a"));
            await connection.ReadAsync(hasBody: true);
            idle.Add(connection);
        }

        await cache.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        foreach (var connection in idle)
        {
            Assert.Equal(0, await connection.ReadUntilCutAsync());
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task LoopThreadHeldByAConnection_ItsOtherConnectionsAreReadByTheSibling()
    {
        // Connections are given to the two threads in turn: 0 and 2 to thread 1, 1 and 3 to thread 0.
        await using var loop = await BareLoop.OpenAsync(threads: 2, connections: 4);
        var held = loop.Servers[0].Transport.Input;
        using var release = new ManualResetEventSlim();
        var holder = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task holding;
        try
        {
            // The application's read continues on the thread that read the bytes (the pipe's
            // reader runs inline), and this one keeps that loop thread until the test lets it go.
            var pending = held.ReadAsync();
            Assert.False(pending.IsCompleted);
            holding = HoldAsync(pending);
            await loop.Clients[0].SendAsync("x"u8.ToArray());
            var name = await holder.Task.WaitAsync(TimeSpan.FromSeconds(10));

            // Its home thread (1) read it, unless thread 0 took its event in a look of its own.
            Assert.Contains(name, new[] { "EdgeFleet loop 0", "EdgeFleet loop 1" });
            var (stuckAt, pokeAt) = name == "EdgeFleet loop 1" ? (2, 1) : (3, 2);

            // The stuck connection waits on the held thread's list. The other thread looks there
            // after its own rounds, and takes it once the held thread has begun no round between
            // two of them.
            await loop.Clients[stuckAt].SendAsync("s"u8.ToArray());
            var stuck = ReadOneAsync(stuckAt);
            for (var round = 0; round < 10 && !stuck.IsCompleted; round++)
            {
                await loop.Clients[pokeAt].SendAsync("p"u8.ToArray());
                Assert.Equal((byte)'p', await ReadOneAsync(pokeAt).WaitAsync(TimeSpan.FromSeconds(5)));
                await Task.WhenAny(stuck, Task.Delay(50));
            }

            Assert.Equal((byte)'s', await stuck.WaitAsync(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            release.Set();
        }

        await holding.WaitAsync(TimeSpan.FromSeconds(10));

        async Task HoldAsync(ValueTask<System.IO.Pipelines.ReadResult> read)
        {
            var result = await read.ConfigureAwait(false);
            holder.TrySetResult(Thread.CurrentThread.Name);
            release.Wait(TimeSpan.FromSeconds(30));
            held.AdvanceTo(result.Buffer.End);
        }

        async Task<byte> ReadOneAsync(int connection)
        {
            var input = loop.Servers[connection].Transport.Input;
            var result = await input.ReadAsync();
            var first = result.Buffer.FirstSpan[0];
            input.AdvanceTo(result.Buffer.End);
            return first;
        }
    }

    [Fact]
    public async Task PeersEnd_WhileTheInputIsPaused_IsSeenOnceTheApplicationCatchesUp()
    {
        await using var loop = await BareLoop.OpenAsync();
        var (client, server) = (loop.Client, loop.Server);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        // 1 MiB and 8 KiB: the input pauses at 1 MiB, what it did not take waits in the kernel (in
        // the receive window, so what follows still arrives).
        var payload = RandomNumberGenerator.GetBytes((1032 * 1024) + 1000);
        var first = client.SendAsync(payload.AsMemory(0, 1032 * 1024)).AsTask();
        var input = server.Transport.Input;
        while (true)
        {
            var peek = await input.ReadAsync(timeout.Token);
            var length = peek.Buffer.Length;
            input.AdvanceTo(peek.Buffer.Start, peek.Buffer.End);
            if (length >= 1024 * 1024)
            {
                break;
            }
        }

        // Then, while it waits, the last bytes and the end: no later event reports that end.
        await first.WaitAsync(timeout.Token);
        await client.SendAsync(payload.AsMemory(1032 * 1024));
        client.Shutdown(SocketShutdown.Send);
        await Task.Delay(200);

        // Now take everything: the loop reads on and must still see the end that came meanwhile.
        var received = new MemoryStream();
        while (true)
        {
            var result = await input.ReadAsync(timeout.Token);
            foreach (var segment in result.Buffer)
            {
                received.Write(segment.Span);
            }

            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received.ToArray()));
    }

    [Fact]
    public async Task Abort_EndsTheInputWithItsReason_AndSignalsTheClose()
    {
        await using var loop = await BareLoop.OpenAsync();
        var (client, server) = (loop.Client, loop.Server);
        var closed = new TaskCompletionSource();
        using var registration = server.ConnectionClosed.Register(() => closed.TrySetResult());

        var reading = server.Transport.Input.ReadAsync().AsTask();
        server.Abort(new ConnectionAbortedException("cut by the test"));

        var error = await Assert.ThrowsAsync<ConnectionAbortedException>(() => reading.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("cut by the test", error.Message);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, await client.ReceiveAsync(new byte[16]));
    }

    /// <summary>A cache under test that holds "/a" (body "aaaa", fresh for 10 minutes), started with <paramref name="args"/>.</summary>
    private static Task<CacheUnderTest> StartHoldingAAsync(ScriptedOrigin origin, params string[] args)
    {
        origin.On("/a", 200, "aaaa", ("Cache-Control", "max-age=600"));
        return StartFilledAsync(origin, "/a", args);
    }

    /// <summary>A cache under test that holds "/a" (body "aaaa") and "/b" (body "bbbbbbbb"), started with <paramref name="args"/>.</summary>
    private static async Task<CacheUnderTest> StartHoldingAAndBAsync(ScriptedOrigin origin, params string[] args)
    {
        origin.On("/b", 200, "bbbbbbbb", ("Cache-Control", "max-age=600"));
        var cache = await StartHoldingAAsync(origin, args);
        Assert.Equal("bbbbbbbb", await cache.Client.GetStringAsync("/b"));
        await CacheServerTests.WaitUntilAsync(() => cache.Store.Count == 2);
        return cache;
    }

    /// <summary>A loop, its listener, client sockets and the connections it accepted, without the cache.</summary>
    private sealed class BareLoop : IAsyncDisposable
    {
        private readonly EventLoopTransport _transport;
        private IConnectionListener? _listener;

        private BareLoop(int threads) => _transport = new(threads, NullLogger<EventLoopTransport>.Instance);

        public List<Socket> Clients { get; } = [];

        public List<ConnectionContext> Servers { get; } = [];

        public Socket Client => Clients[0];

        public ConnectionContext Server => Servers[0];

        public static async Task<BareLoop> OpenAsync(int threads = 1, int connections = 1)
        {
            var loop = new BareLoop(threads);
            loop._listener = await loop._transport.BindAsync(new PublicEndPoint(IPAddress.Loopback, 0));
            for (var i = 0; i < connections; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                loop.Clients.Add(client);
                await client.ConnectAsync(loop._listener.EndPoint);
                loop.Servers.Add((await loop._listener.AcceptAsync())!);
            }

            return loop;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var server in Servers)
            {
                await server.DisposeAsync();
            }

            await _listener!.DisposeAsync();
            foreach (var client in Clients)
            {
                client.Dispose();
            }

            _transport.Dispose();
        }
    }
}
