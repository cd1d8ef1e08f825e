using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Win32.SafeHandles;

namespace EdgeFleet.Cache.Direct;

/// <summary>
/// Sends bytes on a direct connection's socket, whole, under Kestrel's minimum response data
/// rate: a send the kernel cannot take at once must finish within the grace period plus, at the
/// minimum rate, its length and that of what the socket still holds when the wait starts (the
/// client must take those first), else the connection is aborted and <see cref="OperationCanceledException"/>
/// says the client was too slow. Under Kestrel the same limit closes a connection whose client
/// stops reading; without it such a client would hold a connection for ever. The timer is armed
/// only for a send that waits, so a send the socket buffer takes costs nothing extra.
/// </summary>
internal sealed partial class SocketSender(Socket socket, ConnectionContext connection, MinDataRate? minRate) : IDisposable
{
    // Where the connection's own event loop reports room (the public listener's transport), a
    // send that found none waits there; elsewhere it waits in the runtime's async send.
    private readonly Transport.ISocketRoomFeature? _room = connection.Features.Get<Transport.ISocketRoomFeature>();

    // A piece of a file sent the copying way to wait for room in the socket (see SendFileAsync):
    // 4 KiB, so that little is copied; sendfile takes the rest once there is room.
    private const int WaitPieceBytes = 4096;

    private const int IpProtocolTcp = 6;
    private const int TcpNotSentLowWater = 25;
    private const int MsgMore = 0x8000;
    private const int MsgNoSignal = 0x4000;
    private const int MsgDontWait = 0x40;
    private const nuint SocketOutputQueue = 0x5411;
    private const int ErrorAgain = Transport.Epoll.ErrorAgain;
    private const int ErrorInterrupted = Transport.Epoll.ErrorInterrupted;
    private const string SlowClient = "The client read the response below the minimum data rate.";

    private static readonly TimeSpan MaxDeadline = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly CancellationTokenSource _deadline = new();

    /// <summary>Sends all of <paramref name="bytes"/>.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty && _room is not null)
        {
            var seen = _room.RoomReports;
            var sent = Send(socket.SafeHandle, ref MemoryMarshal.GetReference(bytes.Span), bytes.Length, MsgNoSignal | MsgDontWait);
            if (sent > 0)
            {
                bytes = bytes[(int)sent..];
                continue;
            }

            var error = Marshal.GetLastPInvokeError();
            if (error == ErrorAgain)
            {
                await WaitForRoomAsync(seen, bytes.Length);
            }
            else if (error != ErrorInterrupted)
            {
                throw Failure(error);
            }
        }

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
        // Non-blocking sendmsg, which the socket buffer usually takes whole; the runtime's list
        // overload would return a new Task for every response. When the buffer is full, the
        // connection's loop says when there is room again; without one, what is left goes through
        // that overload, which waits on the runtime's event loop.
        while (true)
        {
            var seen = _room?.RoomReports ?? 0;
            var now = TrySendNow(segments);
            total -= now;
            Consume(segments, now);
            if (total == 0 || _room is null || segments.Count > 3)
            {
                break;
            }

            await WaitForRoomAsync(seen, total);
        }

        while (total > 0)
        {
            var pending = socket.SendAsync(segments, SocketFlags.None);
            var sent = pending.IsCompleted ? pending.Result : await WaitAsync(new ValueTask<int>(pending), total);
            total -= sent;
            Consume(segments, sent);
        }
    }

    /// <summary>
    /// Sends <paramref name="head"/>, then <paramref name="count"/> bytes of <paramref name="file"/>
    /// from <paramref name="offset"/> with <c>sendfile</c>: the socket takes the file's pages
    /// without a copy through user space. The head goes with <c>MSG_MORE</c>, so it leaves in
    /// the same segment as the body's start. Both calls are non-blocking on the event thread;
    /// when the socket takes no more, the next 4 KiB are read from the file and sent through
    /// <see cref="SendAsync(ReadOnlyMemory{byte})"/>, which waits for room on the runtime's event
    /// loop (and under the minimum data rate), and <c>sendfile</c> resumes after it. On a
    /// connection of the cache's own event loops (<see cref="Transport.ISocketRoomFeature"/>) no
    /// piece is copied: the loop reports room and <c>sendfile</c> resumes on its thread.
    /// The caller holds the file open for the whole call.
    /// </summary>
    /// <remarks>
    /// Where the unsent bytes are capped (<see cref="LimitUnsentBytes"/>), a large body leaves in
    /// several calls: after a call that took only part, the next piece waits for room at once
    /// instead of first asking <c>sendfile</c> again to hear that there is none.
    /// </remarks>
    public async ValueTask SendFileAsync(ReadOnlyMemory<byte> head, SafeFileHandle file, long offset, long count)
    {
        if (!head.IsEmpty)
        {
            var sent = Send(socket.SafeHandle, ref MemoryMarshal.GetReference(head.Span), head.Length, MsgMore | MsgNoSignal | MsgDontWait);
            if (sent < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                sent = error is ErrorAgain or ErrorInterrupted ? 0 : throw Failure(error);
            }

            if (sent < head.Length)
            {
                await SendAsync(head[(int)sent..]);
            }
        }

        var end = offset + count;
        while (offset < end)
        {
            var seen = _room?.RoomReports ?? 0;
            var sent = SendFile(socket.SafeHandle, file, ref offset, (nuint)(end - offset));
            if (sent == 0)
            {
                throw FileEnded();
            }

            if (sent < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error == ErrorInterrupted)
                {
                    continue;
                }

                if (error != ErrorAgain)
                {
                    throw Failure(error);
                }
            }
            else if (offset == end)
            {
                break;
            }

            if (_room is not null)
            {
                // A short sendfile means a full socket (the kernel then reports room): the memory
                // file is sealed against shrinking, so it cannot end early. The loop says when
                // there is room; sendfile then goes on where it stopped. The
                // minimum data rate counts a piece beyond what the socket holds, as the copying wait does.
                await WaitForRoomAsync(seen, Math.Min(end - offset, WaitPieceBytes));
                continue;
            }

            var piece = (int)Math.Min(end - offset, WaitPieceBytes);
            var buffer = ArrayPool<byte>.Shared.Rent(piece);
            try
            {
                var read = RandomAccess.Read(file, buffer.AsSpan(0, piece), offset);
                if (read == 0)
                {
                    throw FileEnded();
                }

                await SendAsync(buffer.AsMemory(0, read));
                offset += read;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        static IOException FileEnded() => new("The file ended before the body it should hold.");
    }

    /// <summary>
    /// Caps the bytes a connection's responses may keep queued in the kernel but not yet sent at
    /// about <paramref name="bytes"/> (<c>TCP_NOTSENT_LOWAT</c>, Linux; 0 or less: left as it is;
    /// the kernel checks the cap before it takes each buffer, so one more may go past it): a
    /// large body is handed to the socket as the client takes it rather than all at once. Bytes
    /// in flight are not limited, only the queue behind them, so a client is not slowed as long
    /// as the cache refills the queue before it drains; the kernel memory a slow client's
    /// connection holds stays small, and the transmit work for each piece runs when the cache
    /// hands it over. Measured on loopback with 1 MiB hits and the default 128 KiB (five paired
    /// runs, medians, see the README): 18 % more requests/s at 64 connections and 13 % at 256
    /// than the build before the cap; p99 at 256 connections 186 against 133 ms, because
    /// responses then leave side by side rather than one after another. Hits up to 64 KiB fit
    /// under that cap whole.
    /// </summary>
    public static void LimitUnsentBytes(Socket socket, int bytes)
    {
        if (bytes <= 0 || !OperatingSystem.IsLinux())
        {
            return;
        }

        Span<byte> value = stackalloc byte[sizeof(int)];
        MemoryMarshal.Write(value, in bytes);
        socket.SetRawSocketOption(IpProtocolTcp, TcpNotSentLowWater, value);
    }

    public void Dispose() => _deadline.Dispose();

    // errno, not a SocketError: the message says what the kernel said (a reset, a broken pipe).
    private static IOException Failure(int error) => new(Marshal.GetPInvokeErrorMessage(error));

    /// <summary>Sends up to three segments with one <c>sendmsg</c> that does not wait; the bytes it sent.</summary>
    private int TrySendNow(List<ArraySegment<byte>> segments)
    {
        if (segments.Count > 3 || !OperatingSystem.IsLinux())
        {
            return 0;
        }

        var sent = SendVectors(Part(segments, 0), Part(segments, 1), Part(segments, 2));
        if (sent >= 0)
        {
            return (int)sent;
        }

        var error = Marshal.GetLastPInvokeError();
        return error is ErrorAgain or ErrorInterrupted ? 0 : throw Failure(error);

        static ReadOnlySpan<byte> Part(List<ArraySegment<byte>> segments, int index) => index < segments.Count ? segments[index] : default;
    }

    private unsafe nint SendVectors(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third)
    {
        fixed (byte* one = first, two = second, three = third)
        {
            var vectors = stackalloc IoVector[3];
            vectors[0] = new IoVector(one, first.Length);
            vectors[1] = new IoVector(two, second.Length);
            vectors[2] = new IoVector(three, third.Length);
            var message = new MessageHeader { Vectors = vectors, VectorCount = 3 };
            return SendMessage(socket.SafeHandle, &message, MsgNoSignal | MsgDontWait);
        }
    }

    // struct iovec and struct msghdr as Linux lays them out on 64-bit targets.
    [StructLayout(LayoutKind.Sequential)]
    private readonly unsafe struct IoVector(byte* start, int length)
    {
        private readonly byte* _start = start;
        private readonly nuint _length = (nuint)length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static unsafe partial nint SendMessage(SafeSocketHandle socket, MessageHeader* message, int flags);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint Send(SafeSocketHandle socket, ref byte buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoControl(SafeSocketHandle socket, nuint request, ref int value);

    [LibraryImport("libc", EntryPoint = "sendfile", SetLastError = true)]
    private static partial nint SendFile(SafeSocketHandle socket, SafeFileHandle file, ref long offset, nuint count);

    /// <summary>
    /// Waits for a send under the minimum data rate: <paramref name="bytes"/> is what the client
    /// must take, beyond what the socket holds, before it completes.
    /// </summary>
    private async ValueTask<int> WaitAsync(ValueTask<int> pending, long bytes)
    {
        if (minRate is null)
        {
            return await pending;
        }

        // A slow client is cut by aborting the connection under the send (the list overload of
        // SendAsync takes no token, so both overloads are cut the same way).
        using var slow = ArmDeadline(bytes);
        try
        {
            return await pending;
        }
        catch (Exception ex) when (_deadline.IsCancellationRequested && ex is SocketException or ObjectDisposedException or ConnectionAbortedException)
        {
            throw new OperationCanceledException(SlowClient, ex, _deadline.Token);
        }
        finally
        {
            // Disarm for the next send; once it fired the connection is over anyway.
            _deadline.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Waits on the connection's loop for room, under the minimum data rate as <see cref="WaitAsync"/>:
    /// <paramref name="bytes"/> is what the client must take, beyond what the socket holds. A
    /// connection aborted for a slow client reports room (its end), and the wait then says why.
    /// </summary>
    private async ValueTask WaitForRoomAsync(long seen, long bytes)
    {
        var room = _room!.WaitForRoomAsync(seen);
        if (room.IsCompleted)
        {
            room.GetAwaiter().GetResult();
            return;
        }

        if (minRate is null)
        {
            await room;
            return;
        }

        using (ArmDeadline(bytes))
        {
            try
            {
                await room;
            }
            finally
            {
                _deadline.CancelAfter(Timeout.InfiniteTimeSpan);
            }
        }

        if (_deadline.IsCancellationRequested)
        {
            throw new OperationCanceledException(SlowClient, _deadline.Token);
        }
    }

    // Past the grace period plus, at the minimum rate, bytes and what the socket holds (queued or
    // in flight: the client takes those first), the connection is aborted. The kernel is asked
    // because the socket may hold far more than the send before the wait handed it (room can be
    // reported before a wait begins). A limit beyond what a timer takes, some 49 days, is no limit.
    private CancellationTokenRegistration ArmDeadline(long bytes)
    {
        var slow = _deadline.Token.Register(
            static state => ((ConnectionContext)state!).Abort(new ConnectionAbortedException(SlowClient)),
            connection);
        bytes += QueuedInSocket();
        var limit = minRate!.GracePeriod + TimeSpan.FromSeconds(bytes / minRate.BytesPerSecond);
        _deadline.CancelAfter(limit < MaxDeadline ? limit : Timeout.InfiniteTimeSpan);
        return slow;
    }

    // The bytes in the socket's send queue, sent or not, that the peer has not acknowledged
    // (SIOCOUTQ, Linux); 0 where it cannot be asked.
    private long QueuedInSocket()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        var queued = 0;
        return IoControl(socket.SafeHandle, SocketOutputQueue, ref queued) == 0 ? queued : 0;
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
