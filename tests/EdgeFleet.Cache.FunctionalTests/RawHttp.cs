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
}
