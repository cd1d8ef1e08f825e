using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeFleet.Cache.Transport;

/// <summary>
/// The Linux calls an event loop needs (epoll(7), eventfd(2), recv(2)), declared as the C library
/// has them. <c>struct epoll_event</c> is packed on x86-64 (12 bytes, the data at offset 4) and
/// naturally aligned elsewhere (16 bytes, the data at offset 8), so events are read and written
/// by offset rather than through a struct.
/// </summary>
internal static unsafe partial class Epoll
{
    public const uint In = 0x001;
    public const uint Out = 0x004;
    public const uint Error = 0x008;
    public const uint HangUp = 0x010;
    public const uint PeerClosed = 0x2000;
    public const uint EdgeTriggered = 1u << 31;

    public const int ErrorAgain = 11;
    public const int ErrorInterrupted = 4;

    private const int CloseOnExec = 0x80000;
    private const int EventNonBlocking = 0x800;
    private const int Add = 1;
    private const int Delete = 2;
    private const int DontWait = 0x40;

    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    /// <summary>A new epoll instance; throws when the kernel refuses one.</summary>
    public static int Create() => Check(epoll_create1(CloseOnExec), "epoll_create1");

    /// <summary>A non-blocking eventfd, to wake a loop from other threads.</summary>
    public static int CreateWakeUp() => Check(eventfd(0, CloseOnExec | EventNonBlocking), "eventfd");

    /// <summary>Watches <paramref name="fd"/> for <paramref name="events"/>, reporting <paramref name="data"/>.</summary>
    public static void Watch(int epoll, int fd, uint events, ulong data)
    {
        var ev = stackalloc byte[16];
        Unsafe.WriteUnaligned(ev, events);
        Unsafe.WriteUnaligned(ev + DataOffset, data);
        Check(epoll_ctl(epoll, Add, fd, ev), "epoll_ctl(ADD)");
    }

    /// <summary>Stops watching <paramref name="fd"/>; false when it was not watched (already closed).</summary>
    public static bool Forget(int epoll, int fd)
    {
        var ev = stackalloc byte[16];
        return epoll_ctl(epoll, Delete, fd, ev) == 0;
    }

    /// <summary>Waits for events (<paramref name="timeout"/> ms, -1: until one comes); the count, 0 when interrupted by a signal.</summary>
    public static int Wait(int epoll, byte* events, int capacity, int timeout)
    {
        var count = epoll_wait(epoll, events, capacity, timeout);
        return count >= 0 ? count : Marshal.GetLastPInvokeError() == ErrorInterrupted ? 0 : Check(count, "epoll_wait");
    }

    public static uint EventsAt(byte* events, int index) => Unsafe.ReadUnaligned<uint>(events + (index * EventSize));

    public static ulong DataAt(byte* events, int index) => Unsafe.ReadUnaligned<ulong>(events + (index * EventSize) + DataOffset);

    /// <summary>Adds one to an eventfd's counter, which wakes a loop waiting on it.</summary>
    public static void Signal(int eventFd)
    {
        ulong one = 1;
        _ = write(eventFd, &one, sizeof(ulong));
    }

    /// <summary>Resets an eventfd's counter.</summary>
    public static void Drain(int eventFd)
    {
        ulong value;
        _ = read(eventFd, &value, sizeof(ulong));
    }

    /// <summary>A non-blocking receive: the bytes read, 0 at the peer's end, else -1 and the error.</summary>
    public static nint Receive(SafeSocketHandle socket, Span<byte> buffer, out int error)
    {
        var got = recv(socket, ref MemoryMarshal.GetReference(buffer), buffer.Length, DontWait);
        error = got < 0 ? Marshal.GetLastPInvokeError() : 0;
        return got;
    }

    public static void Close(int fd) => _ = close(fd);

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_ctl(int epoll, int operation, int fd, byte* ev);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_wait(int epoll, byte* events, int capacity, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int eventfd(uint initial, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint read(int fd, void* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, void* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recv(SafeSocketHandle socket, ref byte buffer, nint length, int flags);
}
