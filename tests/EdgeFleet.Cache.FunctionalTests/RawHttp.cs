using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeFleet.Cache.FunctionalTests;

/// <summary>Sends bytes the way a hostile or broken client would, and reads what comes back.</summary>
internal static class RawHttp
{
    /// <summary>Sends <paramref name="request"/> and reads until the server closes or 3 s pass.</summary>
    public static async Task<string> SendAsync(string baseUrl, string request)
    {
        var uri = new Uri(baseUrl);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Parse(uri.Host), uri.Port);
        await socket.SendAsync(Encoding.Latin1.GetBytes(request));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (n == 0)
                {
                    break;
                }

                received.Write(buffer, 0, n);
            }
        }
        catch (OperationCanceledException)
        {
            // The server kept the connection open: what arrived so far is the answer.
        }
        catch (SocketException)
        {
            // Reset by the server.
        }

        return Encoding.Latin1.GetString(received.ToArray());
    }

    /// <summary>Reads one response: the head up to the blank line, then Content-Length bytes of body.</summary>
    public static async Task<(string Head, byte[] Body)> ReadResponseAsync(Stream stream, bool hasBody, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException($"connection closed inside a response head: {head}");
            }

            head.Append((char)one[0]);
        }

        var text = head.ToString();
        var length = 0;
        var chunked = false;
        foreach (var line in text.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }

            chunked |= line.Equals("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase);
        }

        if (hasBody && chunked)
        {
            return (text, await ReadChunkedAsync(stream, cancellationToken));
        }

        var body = new byte[hasBody ? length : 0];
        await stream.ReadExactlyAsync(body, cancellationToken);
        return (text, body);
    }

    /// <summary>A chunked body (RFC 9112 §7.1), without extensions or trailers.</summary>
    private static async Task<byte[]> ReadChunkedAsync(Stream stream, CancellationToken cancellationToken)
    {
        var body = new MemoryStream();
        while (true)
        {
            var size = Convert.ToInt32(await ReadLineAsync(stream, cancellationToken), 16);
            var chunk = new byte[size];
            await stream.ReadExactlyAsync(chunk, cancellationToken);
            body.Write(chunk);
            await ReadLineAsync(stream, cancellationToken);
            if (size == 0)
            {
                return body.ToArray();
            }
        }
    }

    private static async Task<string> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (!line.ToString().EndsWith("\r\n", StringComparison.Ordinal))
        {
            await stream.ReadExactlyAsync(one, cancellationToken);
            line.Append((char)one[0]);
        }

        return line.ToString()[..^2];
    }
}
