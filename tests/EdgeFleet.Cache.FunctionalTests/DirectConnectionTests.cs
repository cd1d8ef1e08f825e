using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeFleet.Cache.Direct;

namespace EdgeFleet.Cache.FunctionalTests;

/// <summary>
/// The public listener's direct path (<see cref="DirectConnection"/>): hits answered on the
/// socket and everything else handed to Kestrel, on one connection, in request order.
/// </summary>
public sealed class DirectConnectionTests
{
    [Fact]
    public async Task Pipelined_HitsMissesAndUncacheable_AnsweredInOrderOnOneConnection()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/a", 200, "aaaa", ("Cache-Control", "max-age=600"));
        origin.On("/b", 200, "bbbbbbbb", ("Cache-Control", "max-age=600"));
        origin.On("/private", 200, "pp", ("Cache-Control", "no-store"));
        await using var cache = await StartFilledAsync(origin, "/a");
        await using var connection = await OpenAsync(cache);

        // Hit (direct), miss (Kestrel), HEAD hit (direct), uncacheable (Kestrel), the former miss
        // now a hit (direct), a hit with a precondition (direct, 304): six answers in order.
        await connection.SendAsync(
            Get("/a") + Get("/b") + "HEAD /a HTTP/1.1\r\nHost: t\r\n\r\n" + Get("/private") + Get("/b") +
            "GET /a HTTP/1.1\r\nHost: t\r\nIf-None-Match: *\r\n\r\n");

        var answers = new List<(string Head, byte[] Body)>();
        foreach (var hasBody in new[] { true, true, false, true, true, false })
        {
            answers.Add(await connection.ReadAsync(hasBody));
        }

        Assert.Equal(["200 hit", "200 fwd=uri-miss", "200 hit", "200 fwd=uri-miss", "200 hit", "304 hit"], answers.Select(a => Summary(a.Head)));
        Assert.Equal(["aaaa", "bbbbbbbb", "", "pp", "bbbbbbbb", ""], answers.Select(a => Encoding.ASCII.GetString(a.Body)));
        Assert.Contains("Content-Length: 4", answers[2].Head, StringComparison.Ordinal);
        Assert.Equal(1, origin.Count("/a"));
        Assert.Equal(1, origin.Count("/b"));
        await connection.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task RequestWithBody_RestOfConnectionIsKestrels_AndStillAnswered()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/a", 200, "aaaa", ("Cache-Control", "max-age=600"));
        var posted = "";
        origin.On("/form", async context =>
        {
            posted = await new StreamReader(context.Request.Body).ReadToEndAsync();
            await context.Response.Body.WriteAsync("thanks"u8.ToArray());
        });
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);
        await using var connection = await OpenAsync(cache);

        await connection.SendAsync(Get("/a") + "POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello" + Get("/a") + Get("/a"));
        var miss = await connection.ReadAsync(hasBody: true);
        var post = await connection.ReadAsync(hasBody: true);
        var hit = await connection.ReadAsync(hasBody: true);
        var again = await connection.ReadAsync(hasBody: true);

        Assert.Equal("200 fwd=uri-miss", Summary(miss.Head));
        Assert.StartsWith("HTTP/1.1 200", post.Head, StringComparison.Ordinal);
        Assert.Equal("thanks", Encoding.ASCII.GetString(post.Body));
        Assert.Equal("hello", posted);
        Assert.Equal("200 hit", Summary(hit.Head));
        Assert.Equal("aaaa", Encoding.ASCII.GetString(again.Body));
        await connection.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task ConnectionClose_OnDirectHit_SaysSoAndCloses()
    {
        await using var holdingA = await HoldingA.StartAsync();
        var connection = holdingA.Connection;

        await connection.SendAsync("GET /a HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" + Get("/a"));
        var answer = await connection.ReadAsync(hasBody: true);

        Assert.Equal("200 hit", Summary(answer.Head));
        // Said once: the writer sees the close it was asked for and does not add another.
        Assert.Single(answer.Head.Split("\r\n"), line => line == "Connection: close");
        Assert.Equal(0, await connection.ReadByteCountAsync());
    }

    [Fact]
    public async Task DirectHit_FleetFieldsFromTheOrigin_NeverReachTheClient()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/a", 200, "aaaa", ("Cache-Control", "max-age=600"), ("EdgeFleet-Lease", "key=\"/a\""), ("edgefleet-other", "x"), ("X-Kept", "y"));
        await using var cache = await StartFilledAsync(origin, "/a");
        await using var connection = await OpenAsync(cache);

        // A client's own fleet fields on a hit are dropped too (they could forge a lease).
        await connection.SendAsync(Get("/a") + "GET /a HTTP/1.1\r\nHost: t\r\nEdgeFleet-Edge: e\r\nEdgeFleet-Auth: x\r\n\r\n");
        foreach (var (head, body) in new[] { await connection.ReadAsync(hasBody: true), await connection.ReadAsync(hasBody: true) })
        {
            Assert.Equal("200 hit", Summary(head));
            Assert.Equal("aaaa", Encoding.ASCII.GetString(body));
            Assert.DoesNotContain("edgefleet-", head, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("X-Kept: y", head, StringComparison.Ordinal);
        }

        Assert.Equal(1, origin.Count("/a"));
    }

    [Fact]
    public async Task KestrelSessionEndedWhileIdle_NextHandOverIsStillAnswered()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/a", 200, "aaaa", ("Cache-Control", "max-age=600"));
        origin.On("/b", 200, "bb", ("Cache-Control", "no-store"));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url, "--Kestrel:Limits:KeepAliveTimeout=00:00:02");
        await using var connection = await OpenAsync(cache);
        await connection.SendAsync(Get("/a"));
        Assert.Equal("200 fwd=uri-miss", Summary((await connection.ReadAsync(hasBody: true)).Head));

        // Kestrel's side of the connection idles past its keep-alive timeout (2 s) while hits keep
        // the client's side busy: one every 200 ms for 3 s, so that a test thread delayed by other
        // tests on a loaded machine still sends well within the timeout.
        for (var i = 0; i < 15; i++)
        {
            await Task.Delay(200);
            await connection.SendAsync(Get("/a"));
            Assert.Equal("200 hit", Summary((await connection.ReadAsync(hasBody: true)).Head));
        }

        await connection.SendAsync(Get("/b") + Get("/a"));
        var handedOver = await connection.ReadAsync(hasBody: true);
        var hit = await connection.ReadAsync(hasBody: true);

        Assert.Equal("200 fwd=uri-miss", Summary(handedOver.Head));
        Assert.Equal("bb", Encoding.ASCII.GetString(handedOver.Body));
        Assert.Equal("200 hit", Summary(hit.Head));
    }

    [Fact]
    public async Task IdleConnection_ClosedAfterKeepAliveTimeout()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        await using var cache = await CacheUnderTest.StartAsync(origin.Url, "--Kestrel:Limits:KeepAliveTimeout=00:00:01");
        await using var connection = await OpenAsync(cache);

        // A partial head counts too: it is closed once the head timeout (longer) runs out, so
        // here only the idle connection is checked.
        Assert.Equal(0, await connection.ReadByteCountAsync());
    }

    [Fact]
    public async Task ClientGoneInsideLargeHit_OthersStillServedWhole()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        var data = origin.OnRandomBytes("/big", 4 * 1024 * 1024, 5);
        await using var cache = await CacheUnderTest.StartAsync(origin.Url, "--memory-size", "64MiB");
        using (var fill = await cache.Client.GetAsync("/big"))
        {
            Assert.Equal(data.Length, (await fill.Content.ReadAsByteArrayAsync()).Length);
        }

        await CacheServerTests.WaitUntilAsync(() => cache.Store.Count == 1);
        for (var i = 0; i < 5; i++)
        {
            // Ask, read a little, and reset the connection.
            await using var rude = await OpenAsync(cache);
            await rude.SendAsync(Get("/big"));
            await rude.ReadByteCountAsync(max: 100);
            rude.Reset();
        }

        using var whole = await cache.Client.GetAsync("/big");

        Assert.Contains("hit", whole.Headers.GetValues("Cache-Status").Single(), StringComparison.Ordinal);
        Assert.Equal(data, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, origin.Count("/big"));
    }

    [Fact]
    public async Task HeadWithBareLineFeeds_HandedToKestrel_AnsweredAtOnce()
    {
        await using var holdingA = await HoldingA.StartAsync();
        var connection = holdingA.Connection;

        // Such a head never ends in CRLF CRLF: it must not wait for the head timeout (30 s here,
        // longer than the connection's own 20 s read timeout) but get Kestrel's answer, which
        // accepts a bare LF as a line end.
        await connection.SendAsync("GET /a HTTP/1.1\nHost: t\n\n");
        var (head, body) = await connection.ReadAsync(hasBody: true);

        Assert.Equal("200 hit", Summary(head));
        Assert.Equal("aaaa", Encoding.ASCII.GetString(body));
    }

    [Fact]
    public async Task HeadInPieces_CrLfSplitAcrossReads_OrBareLineFeedInLaterPiece_Answered()
    {
        await using var holdingA = await HoldingA.StartAsync();
        var connection = holdingA.Connection;

        // Each piece arrives in a read of its own; the second head would wait for the head
        // timeout if its bare LF went unseen.
        await connection.SendAsync("GET /a HTTP/1.1\r");
        await Task.Delay(200);
        await connection.SendAsync("\nHost: t\r\n\r\n");
        var direct = await connection.ReadAsync(hasBody: true);

        await connection.SendAsync("GET /a HTTP/1.1\r\nHost: t\r\n");
        await Task.Delay(200);
        await connection.SendAsync("Accept: */*\n\n");
        var (head, body) = await connection.ReadAsync(hasBody: true);

        Assert.Equal("200 hit", Summary(direct.Head));
        Assert.Equal("200 hit", Summary(head));
        Assert.Equal("aaaa", Encoding.ASCII.GetString(body));
    }

    // An unfinished head is checked again after every read from where the last check stopped,
    // with the byte before that point still counting as the one before an LF.
    [Theory]
    [InlineData(new[] { "GET / HTTP/1.1\r", "\nHost: t\r\n" }, 0, false)]
    [InlineData(new[] { "GET / HTTP/1.1\r\nHost: t\n" }, 0, true)]
    [InlineData(new[] { "GET / HTTP/1.1\r", "\nHost: t\r\n" }, 15, false)]
    [InlineData(new[] { "GET / HTTP/1.1\nHost: t\r\n" }, 15, false)]
    [InlineData(new[] { "GET / HTTP/1.1\r\nX", "\n" }, 17, true)]
    public void BareLineFeed_LookedForFromOffset_ByteBeforeItCounts(string[] pieces, long from, bool bare)
    {
        Piece? first = null, last = null;
        foreach (var piece in pieces)
        {
            var next = new Piece(Encoding.ASCII.GetBytes(piece), last?.RunningIndex + last?.Memory.Length ?? 0);
            if (last is null)
            {
                first = next;
            }
            else
            {
                last.Next = next;
            }

            last = next;
        }

        Assert.Equal(bare, DirectConnection.HasBareLineFeed(new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length), from));
    }

    [Fact]
    public async Task ClientStopsReadingLargeHit_CutAtMinimumDataRate_OthersServedWhole()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        var data = origin.OnRandomBytes("/big", 16 * 1024 * 1024, 7);
        await using var cache = await CacheUnderTest.StartAsync(
            origin.Url,
            "--memory-size", "256MiB",
            "--Kestrel:Limits:MinResponseDataRate:BytesPerSecond=8000000",
            "--Kestrel:Limits:MinResponseDataRate:GracePeriod=00:00:02");
        using (var fill = await cache.Client.GetAsync("/big"))
        {
            Assert.Equal(data.Length, (await fill.Content.ReadAsByteArrayAsync()).Length);
        }

        await CacheServerTests.WaitUntilAsync(() => cache.Store.Count == 1);
        var uri = new Uri(cache.PublicUrl);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(IPAddress.Parse(uri.Host), uri.Port);
        await using var stalled = new Connection(socket);
        await stalled.SendAsync(Get("/big"));

        // The send that waits may take 2 s + 16 MiB at 8 MB/s, about 4.1 s; then it is cut.
        await Task.Delay(TimeSpan.FromSeconds(7));
        var received = await stalled.ReadUntilCutAsync();
        using var whole = await cache.Client.GetAsync("/big");

        Assert.InRange(received, 1, data.Length - 1);
        Assert.Equal(data, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, origin.Count("/big"));
    }

    [Fact]
    public async Task SlowButSteadyClient_OfALargeHit_IsNotCut_WhileTheQueueDrains()
    {
        // A 1 MiB cap on unsent bytes: the first sendfile queues about 1 MiB, and the socket has
        // room again only once the client took about half of it. A client reading at 160 KB/s,
        // four times the minimum rate, needs some 3.3 s for that; the wait is allowed the grace
        // period plus what the socket holds and the next piece at the minimum rate. (Allowing only the
        // grace period and the piece, about 2.1 s, cut this client.)
        await using var origin = await ScriptedOrigin.StartAsync();
        var data = origin.OnRandomBytes("/big", (1536 * 1024) + 5, seed: 3);
        await using var cache = await StartFilledAsync(
            origin,
            "/big",
            "--unsent-limit", "1MiB",
            "--Kestrel:Limits:MinResponseDataRate:BytesPerSecond=40000",
            "--Kestrel:Limits:MinResponseDataRate:GracePeriod=00:00:02");
        Assert.True(cache.Store.TryGet(Assert.Single(cache.Store.KeysWithPrefix("")), out var stored));
        Assert.IsType<EdgeFleet.Storage.MemoryFileBody>(stored.External);

        await using var slow = await OpenAsync(cache);
        await slow.SendAsync(Get("/big"));
        var (head, body) = await slow.ReadSlowlyAsync(bytesPerTick: 16 * 1024, tick: TimeSpan.FromMilliseconds(100));

        Assert.Equal("200 hit", Summary(head));
        Assert.Equal(data, body);
    }

    [Fact]
    public async Task DirectHitsOff_HitsStillServedByKestrel()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/a", 200, "aaaa", ("Cache-Control", "max-age=600"));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url, "--direct-hits", "false");
        using (await cache.Client.GetAsync("/a"))
        {
        }

        await CacheServerTests.WaitUntilAsync(() => cache.Store.Count == 1);
        await using var connection = await OpenAsync(cache);
        await connection.SendAsync(Get("/a") + Get("/a"));

        Assert.Equal("200 hit", Summary((await connection.ReadAsync(hasBody: true)).Head));
        Assert.Equal("200 hit", Summary((await connection.ReadAsync(hasBody: true)).Head));
    }

    [Fact]
    public async Task MidSizeHit_ToASlowReader_ArrivesWhole_WhenTheFirstSendTakesOnlyPart()
    {
        // An array body (above the gather size, below the memory-file size): head and body go in
        // one sendmsg. Twenty of them pipelined to a client that waits, behind a 4 KiB window,
        // are more than a loopback socket's largest send buffer (4 MiB), so later sends are taken
        // only in part, and each rest must follow from exactly where it stopped.
        await using var origin = await ScriptedOrigin.StartAsync();
        var data = origin.OnRandomBytes("/mid", (255 * 1024) + 3, seed: 11);
        await using var cache = await StartFilledAsync(origin, "/mid");
        Assert.True(cache.Store.TryGet(Assert.Single(cache.Store.KeysWithPrefix("")), out var stored));
        Assert.Null(stored.External);

        await using var slow = await OpenAsync(cache, receiveBuffer: 4096);
        await slow.SendAsync(string.Concat(Enumerable.Repeat(Get("/mid"), 20)));
        await Task.Delay(300);
        for (var i = 0; i < 20; i++)
        {
            var (head, body) = await slow.ReadAsync(hasBody: true);
            Assert.Equal("200 hit", Summary(head));
            Assert.Equal(data, body);
        }

        await slow.AssertNothingMoreAsync();
    }

    [Fact]
    public async Task LargeHit_SentFromItsMemoryFile_WholeAsARangeAndToASlowReader()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        var data = origin.OnRandomBytes("/big", (3 * 1024 * 1024) + 17, seed: 7);
        await using var cache = await StartFilledAsync(origin, "/big");
        var key = Assert.Single(cache.Store.KeysWithPrefix(""));
        Assert.True(cache.Store.TryGet(key, out var stored));
        var file = Assert.IsType<EdgeFleet.Storage.MemoryFileBody>(stored.External);
        Assert.Contains("\nedgefleet_storage_memory_files 1\n", await cache.Admin.GetStringAsync("/metrics"), StringComparison.Ordinal);

        await using (var connection = await OpenAsync(cache))
        {
            await connection.SendAsync(Get("/big") + "GET /big HTTP/1.1\r\nHost: t\r\nRange: bytes=1000-300999\r\n\r\n" + Get("/big"));
            var whole = await connection.ReadAsync(hasBody: true);
            var range = await connection.ReadAsync(hasBody: true);
            var again = await connection.ReadAsync(hasBody: true);

            Assert.Equal("200 hit", Summary(whole.Head));
            Assert.Equal(data, whole.Body);
            Assert.Equal("206 hit", Summary(range.Head));
            Assert.Contains($"Content-Range: bytes 1000-300999/{data.Length}", range.Head, StringComparison.Ordinal);
            Assert.Equal(data[1000..301000], range.Body);
            Assert.Equal(data, again.Body);
            await connection.AssertNothingMoreAsync();
        }

        // A client with a small receive window that waits before reading: the socket buffer fills,
        // and the rest goes out as the client drains it, on the same connection.
        await using (var slow = await OpenAsync(cache, receiveBuffer: 4096))
        {
            await slow.SendAsync(Get("/big") + Get("/big"));
            await Task.Delay(500);
            Assert.Equal(data, (await slow.ReadAsync(hasBody: true)).Body);
            Assert.Equal(data, (await slow.ReadAsync(hasBody: true)).Body);
            await slow.AssertNothingMoreAsync();
        }

        // Two ranges in one response (multipart, read from the file through a stream).
        await using (var connection = await OpenAsync(cache))
        {
            await connection.SendAsync("GET /big HTTP/1.1\r\nHost: t\r\nRange: bytes=0-9,2000000-2000009\r\n\r\n");
            var (head, body) = await connection.ReadAsync(hasBody: true);
            Assert.StartsWith("HTTP/1.1 206", head, StringComparison.Ordinal);
            Assert.Contains("multipart/byteranges", head, StringComparison.Ordinal);
            var text = Encoding.Latin1.GetString(body);
            Assert.Contains(Encoding.Latin1.GetString(data[..10]), text, StringComparison.Ordinal);
            Assert.Contains(Encoding.Latin1.GetString(data[2000000..2000010]), text, StringComparison.Ordinal);
        }

        Assert.Equal(1, origin.Count("/big"));

        // Every response let the file go: once the store does too, it closes.
        Assert.True(cache.Store.Remove(key));
        await CacheServerTests.WaitUntilAsync(() => file.Handle.IsClosed);
    }

    [Fact]
    public async Task UnsentLimit_IsSetOnThePublicConnectionsSocket()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/a", 200, "aaaa", ("Cache-Control", "max-age=600"));
        await using var cache = await StartFilledAsync(origin, "/a", "--unsent-limit", "256KiB");
        await using var connection = await OpenAsync(cache);
        await connection.SendAsync(Get("/a"));
        Assert.Equal("200 hit", Summary((await connection.ReadAsync(hasBody: true)).Head));

        // The cache runs in this process: find the socket that accepted this connection.
        using var server = AcceptedSocketOf(connection.LocalEndPoint);
        Assert.Equal(256 * 1024, UnsentLowWater(server));

        // And the helper itself: 0 leaves the kernel's setting.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var accepted = listener.Accept();
        var kernels = UnsentLowWater(accepted);
        SocketSender.LimitUnsentBytes(accepted, 0);
        Assert.Equal(kernels, UnsentLowWater(accepted));
        SocketSender.LimitUnsentBytes(accepted, 64 * 1024);
        Assert.Equal(64 * 1024, UnsentLowWater(accepted));

        static int UnsentLowWater(Socket socket)
        {
            // TCP_NOTSENT_LOWAT at IPPROTO_TCP.
            var value = new byte[sizeof(int)];
            Assert.Equal(sizeof(int), socket.GetRawSocketOption(6, 25, value));
            return BitConverter.ToInt32(value);
        }

        static Socket AcceptedSocketOf(EndPoint client)
        {
            foreach (var link in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            {
                if (new FileInfo(link).LinkTarget is not { } target || !target.StartsWith("socket:", StringComparison.Ordinal) ||
                    !int.TryParse(Path.GetFileName(link), out var fd))
                {
                    continue;
                }

                Socket socket;
                try
                {
                    // Not owned: disposing the wrapper leaves the descriptor as it is.
                    socket = new Socket(new SafeSocketHandle(fd, ownsHandle: false));
                }
                catch (SocketException)
                {
                    // Closed since it was listed (tests run side by side).
                    continue;
                }

                if (socket.AddressFamily == AddressFamily.InterNetwork && client.Equals(socket.RemoteEndPoint))
                {
                    return socket;
                }

                socket.Dispose();
            }

            throw new InvalidOperationException($"No socket in this process is connected to {client}.");
        }
    }

    [Fact]
    public async Task LargeBody_WithDirectHitsOff_StaysAnArray_AndIsServedWhole()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        var data = origin.OnRandomBytes("/big", 1024 * 1024, seed: 9);
        await using var cache = await StartFilledAsync(origin, "/big", "--direct-hits", "false");

        Assert.True(cache.Store.TryGet(Assert.Single(cache.Store.KeysWithPrefix("")), out var stored));
        Assert.Null(stored.External);
        Assert.Equal(data, await cache.Client.GetByteArrayAsync("/big"));
        Assert.Equal(1, origin.Count("/big"));
    }

    [Fact]
    public async Task LargeHit_EvictedWhileAClientReadsIt_ClientStillGetsItWhole()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        // Bodies larger than a loopback socket's largest send buffer (4 MiB), so the response
        // cannot sit whole in the kernel before the eviction.
        var big = origin.OnRandomBytes("/big", 8 * 1024 * 1024, seed: 1);
        origin.OnRandomBytes("/other", 8 * 1024 * 1024, seed: 2);
        await using var cache = await StartFilledAsync(origin, "/big", "--memory-size", "12MiB", "--max-object-size", "9MiB", "--eviction-policy", "lru");
        var bigKey = Assert.Single(cache.Store.KeysWithPrefix(""));
        await using var slow = await OpenAsync(cache, receiveBuffer: 4096);
        await slow.SendAsync(Get("/big"));

        // The hit is counted just before its body is taken for sending, on the same thread.
        await CacheServerTests.WaitUntilAsync(async () =>
            (await cache.Admin.GetStringAsync("/metrics")).Contains("edgefleet_cache_requests_total{cache_status=\"hit\"} 1\n", StringComparison.Ordinal));

        // Filling /other leaves no room for /big: it is evicted while its response is half sent.
        using (var fill = await cache.Client.GetAsync("/other"))
        {
            await fill.Content.ReadAsByteArrayAsync();
        }

        await CacheServerTests.WaitUntilAsync(() => cache.Store.Evictions == 1);
        Assert.False(cache.Store.MayHold(bigKey));

        var (head, body) = await slow.ReadAsync(hasBody: true);
        Assert.Equal("200 hit", Summary(head));
        Assert.Equal(big, body);

        // The next request for it is a miss again, answered whole.
        await slow.SendAsync(Get("/big"));
        var refetched = await slow.ReadAsync(hasBody: true);
        Assert.Equal("200 fwd=uri-miss", Summary(refetched.Head));
        Assert.Equal(big, refetched.Body);
    }

    /// <summary>A cache under test that holds <paramref name="path"/> (fetched once).</summary>
    internal static async Task<CacheUnderTest> StartFilledAsync(ScriptedOrigin origin, string path, params string[] args)
    {
        var cache = await CacheUnderTest.StartAsync(origin.Url, args);
        using (var fill = await cache.Client.GetAsync(path))
        {
            await fill.Content.ReadAsByteArrayAsync();
        }

        await CacheServerTests.WaitUntilAsync(() => cache.Store.Count == 1);
        return cache;
    }

    internal static string Get(string path) => $"GET {path} HTTP/1.1\r\nHost: t\r\n\r\n";

    /// <summary>The status code and the first member of our Cache-Status entry.</summary>
    internal static string Summary(string head)
    {
        var status = head.Split(' ')[1];
        if (head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Cache-Status:", StringComparison.OrdinalIgnoreCase)) is not { } line)
        {
            return head;
        }

        var ours = line.Split(',')[^1].Split(';').Select(p => p.Trim()).ToArray();
        return $"{status} {ours[1]}";
    }

    internal static async Task<Connection> OpenAsync(CacheUnderTest cache, int? receiveBuffer = null)
    {
        var uri = new Uri(cache.PublicUrl);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBuffer is { } bytes)
        {
            // Before connecting, so the window the client offers stays small.
            socket.ReceiveBufferSize = bytes;
        }

        await socket.ConnectAsync(IPAddress.Parse(uri.Host), uri.Port);
        return new Connection(socket);
    }

    internal sealed class Connection(Socket socket) : IAsyncDisposable
    {
        private readonly NetworkStream _stream = new(socket, ownsSocket: true);
        private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(20));

        public EndPoint LocalEndPoint { get; } = socket.LocalEndPoint!;

        public Task SendAsync(string text) => _stream.WriteAsync(Encoding.ASCII.GetBytes(text), _timeout.Token).AsTask();

        public Task<(string Head, byte[] Body)> ReadAsync(bool hasBody) => RawHttp.ReadResponseAsync(_stream, hasBody, _timeout.Token);

        /// <summary>
        /// Reads one response taking at most <paramref name="bytesPerTick"/> bytes per
        /// <paramref name="tick"/>; fails if the server ends the connection first.
        /// </summary>
        public async Task<(string Head, byte[] Body)> ReadSlowlyAsync(int bytesPerTick, TimeSpan tick)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            return await RawHttp.ReadResponseAsync(new ThrottledReads(_stream, bytesPerTick, tick), hasBody: true, timeout.Token);
        }

        /// <summary>Reads until the server closes (or <paramref name="max"/> bytes came); how many bytes came.</summary>
        public async Task<int> ReadByteCountAsync(int max = int.MaxValue)
        {
            var buffer = new byte[8192];
            var total = 0;
            while (total < max)
            {
                var n = await _stream.ReadAsync(buffer, _timeout.Token);
                if (n == 0)
                {
                    break;
                }

                total += n;
            }

            return total;
        }

        /// <summary>Reads until the server closes or resets the connection; how many bytes came.</summary>
        public async Task<int> ReadUntilCutAsync()
        {
            var buffer = new byte[65536];
            var total = 0;
            try
            {
                for (var n = await _stream.ReadAsync(buffer, _timeout.Token); n > 0; n = await _stream.ReadAsync(buffer, _timeout.Token))
                {
                    total += n;
                }
            }
            catch (IOException)
            {
                // Reset: the server closed with bytes we had not read.
            }

            return total;
        }

        /// <summary>The server sends nothing beyond the answers read: after our end, it closes.</summary>
        public async Task AssertNothingMoreAsync()
        {
            socket.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, await ReadByteCountAsync());
        }

        /// <summary>Ends our side (FIN) without waiting for anything.</summary>
        public void EndSending() => socket.Shutdown(SocketShutdown.Send);

        public void Reset()
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }

        public async ValueTask DisposeAsync()
        {
            await _stream.DisposeAsync();
            _timeout.Dispose();
        }
    }

    /// <summary>An origin serving /a ("aaaa", fresh for 10 minutes), a cache holding it, and a connection to the cache.</summary>
    private sealed class HoldingA : IAsyncDisposable
    {
        private readonly ScriptedOrigin _origin;
        private readonly CacheUnderTest _cache;

        private HoldingA(ScriptedOrigin origin, CacheUnderTest cache, Connection connection)
        {
            _origin = origin;
            _cache = cache;
            Connection = connection;
        }

        public Connection Connection { get; }

        public static async Task<HoldingA> StartAsync()
        {
            var origin = await ScriptedOrigin.StartAsync();
            CacheUnderTest? cache = null;
            try
            {
                origin.On("/a", 200, "aaaa", ("Cache-Control", "max-age=600"));
                cache = await StartFilledAsync(origin, "/a");
                return new HoldingA(origin, cache, await OpenAsync(cache));
            }
            catch
            {
                if (cache is not null)
                {
                    await cache.DisposeAsync();
                }

                await origin.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Connection.DisposeAsync();
            await _cache.DisposeAsync();
            await _origin.DisposeAsync();
        }
    }

    /// <summary>One segment of a multi-segment sequence, as a pipe hands over bytes from several reads.</summary>
    private sealed class Piece : ReadOnlySequenceSegment<byte>
    {
        public Piece(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public new Piece? Next
        {
            get => (Piece?)base.Next;
            set => base.Next = value;
        }
    }

    /// <summary>Reads from a stream at most <paramref name="bytesPerTick"/> bytes per <paramref name="tick"/>.</summary>
    private sealed class ThrottledReads(Stream inner, int bytesPerTick, TimeSpan tick) : Stream
    {
        private int _budget;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_budget == 0)
            {
                await Task.Delay(tick, cancellationToken);
                _budget = bytesPerTick;
            }

            var n = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, _budget)], cancellationToken);
            _budget -= n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
