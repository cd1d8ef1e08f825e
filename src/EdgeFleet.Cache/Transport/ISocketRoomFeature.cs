namespace EdgeFleet.Cache.Transport;

/// <summary>
/// A connection whose event loop reports when its socket has room for more bytes again
/// (<c>EPOLLOUT</c>), so that a sender that got <c>EAGAIN</c> waits on the same loop that reads
/// the connection, without a second registration in the runtime's own epoll.
/// </summary>
internal interface ISocketRoomFeature
{
    /// <summary>How many times the loop has reported room (or the connection's end) so far.</summary>
    long RoomReports { get; }

    /// <summary>
    /// Completes once <see cref="RoomReports"/> differs from <paramref name="seen"/> (read before
    /// the send that found no room), at once if it already does; the continuation usually runs on
    /// the loop's thread. Fails once the loop stopped watching the connection. One waiter at a time.
    /// </summary>
    ValueTask WaitForRoomAsync(long seen);
}
