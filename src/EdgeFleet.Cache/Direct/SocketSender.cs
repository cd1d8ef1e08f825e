using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EdgeFleet.Cache.Direct;

/// <summary>
/// Sends bytes on a direct connection's socket, whole, under Kestrel's minimum response data
/// rate: a send the kernel cannot take at once must finish within the grace period plus its
/// length at the minimum rate, else the connection is aborted and <see cref="OperationCanceledException"/>
/// says the client was too slow. Under Kestrel the same limit closes a connection whose client
/// stops reading; without it such a client would hold a connection for ever. The timer is armed
/// only for a send that waits, so a send the socket buffer takes costs nothing extra.
/// </summary>
internal sealed class SocketSender(Socket socket, ConnectionContext connection, MinDataRate? minRate) : IDisposable
{
    private readonly CancellationTokenSource _deadline = new();

    /// <summary>Sends all of <paramref name="bytes"/>.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var pending = socket.SendAsync(bytes, SocketFlags.None);
            var sent = pending.IsCompleted ? pending.Result : await WaitAsync(pending, bytes.Length);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Sends all of <paramref name="segments"/> (<paramref name="total"/> bytes); the list is consumed.</summary>
    public async ValueTask SendAsync(List<ArraySegment<byte>> segments, int total)
    {
        while (total > 0)
        {
            var pending = socket.SendAsync(segments, SocketFlags.None);
            var sent = pending.IsCompleted ? pending.Result : await WaitAsync(new ValueTask<int>(pending), total);
            total -= sent;
            Consume(segments, sent);
        }
    }

    public void Dispose() => _deadline.Dispose();

    private async ValueTask<int> WaitAsync(ValueTask<int> pending, int bytes)
    {
        if (minRate is null)
        {
            return await pending;
        }

        // A slow client is cut by aborting the connection under the send (the list overload of
        // SendAsync takes no token, so both overloads are cut the same way).
        var limit = minRate.GracePeriod + TimeSpan.FromSeconds(bytes / minRate.BytesPerSecond);
        using var slow = _deadline.Token.Register(
            static state => ((ConnectionContext)state!).Abort(new ConnectionAbortedException("The client read the response below the minimum data rate.")),
            connection);
        _deadline.CancelAfter(limit);
        try
        {
            return await pending;
        }
        catch (Exception ex) when (_deadline.IsCancellationRequested && ex is SocketException or ObjectDisposedException or ConnectionAbortedException)
        {
            throw new OperationCanceledException("The client read the response below the minimum data rate.", ex, _deadline.Token);
        }
        finally
        {
            // Disarm for the next send; once it fired the connection is over anyway.
            _deadline.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    private static void Consume(List<ArraySegment<byte>> segments, int sent)
    {
        while (sent > 0)
        {
            var first = segments[0];
            if (sent >= first.Count)
            {
                sent -= first.Count;
                segments.RemoveAt(0);
            }
            else
            {
                segments[0] = first[sent..];
                sent = 0;
            }
        }
    }
}
