using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeFleet.Cache.FunctionalTests;

/// <summary>
/// Large memory hits leave through two write paths (segments asked for by size up to 128 KiB,
/// one WriteAsync above); these tests hold both to HTTP/1.1 framing on a kept-alive connection
/// with pipelined requests.
/// </summary>
public sealed class StoredResponseWriterTests
{
    [Theory]
    [InlineData(64 * 1024)] // segments asked for by size
    [InlineData(300 * 1024)] // one WriteAsync
    public async Task WriteAsync_PipelinedLargeHits_EachFramedByItsContentLength(int length)
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        var data = origin.OnRandomBytes("/large.bin", length, 11);
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);
        using (var fill = await cache.Client.GetAsync("/large.bin"))
        {
            Assert.Equal(data, await fill.Content.ReadAsByteArrayAsync());
        }

        await CacheServerTests.WaitUntilAsync(() => cache.Store.Count == 1);

        // Four requests in one write: the answers must follow one another on the connection,
        // each body exactly as long as its Content-Length (none for HEAD).
        const string Get = "GET /large.bin HTTP/1.1\r\nHost: t\r\n\r\n";
        var pipelined = Get + "HEAD /large.bin HTTP/1.1\r\nHost: t\r\n\r\n" +
            $"GET /large.bin HTTP/1.1\r\nHost: t\r\nRange: bytes={length / 2}-{(length / 2) + 9}\r\n\r\n" + Get;
        var uri = new Uri(cache.PublicUrl);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Parse(uri.Host), uri.Port);
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(pipelined));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var first = await RawHttp.ReadResponseAsync(stream, hasBody: true, timeout.Token);
        var head = await RawHttp.ReadResponseAsync(stream, hasBody: false, timeout.Token);
        var range = await RawHttp.ReadResponseAsync(stream, hasBody: true, timeout.Token);
        var last = await RawHttp.ReadResponseAsync(stream, hasBody: true, timeout.Token);

        Assert.StartsWith("HTTP/1.1 200", first.Head, StringComparison.Ordinal);
        Assert.Contains("Cache-Status: EdgeFleet; hit", first.Head, StringComparison.Ordinal);
        Assert.Equal(data, first.Body);
        Assert.StartsWith("HTTP/1.1 200", head.Head, StringComparison.Ordinal);
        Assert.Contains($"Content-Length: {length}", head.Head, StringComparison.Ordinal);
        Assert.Empty(head.Body);
        Assert.StartsWith("HTTP/1.1 206", range.Head, StringComparison.Ordinal);
        Assert.Contains($"Content-Range: bytes {length / 2}-{(length / 2) + 9}/{length}", range.Head, StringComparison.Ordinal);
        Assert.Equal(data.AsSpan(length / 2, 10).ToArray(), range.Body);
        Assert.StartsWith("HTTP/1.1 200", last.Head, StringComparison.Ordinal);
        Assert.Equal(data, last.Body);

        // Nothing beyond the four answers: a byte too many would be read as a fifth response.
        socket.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await stream.ReadAsync(new byte[1], timeout.Token));
    }
}
