namespace EdgeFleet.Cache;

/// <summary>The cache server's log events, with stable ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Cache listening on {Public} (admin {Admin}), origin {Origin}, memory {MemoryBytes} bytes, hits on event threads {EventThreads}")]
    public static partial void Started(ILogger logger, string @public, string admin, string origin, long memoryBytes, bool eventThreads);

    [LoggerMessage(2, LogLevel.Debug, "Not storing {Key}: {Reason}")]
    public static partial void NotStored(ILogger logger, string key, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Origin request for {Key} failed: {Error}")]
    public static partial void OriginFailed(ILogger logger, string key, string error);

    [LoggerMessage(4, LogLevel.Warning, "Background revalidation of {Key} failed")]
    public static partial void BackgroundRevalidationFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Purge ({Mode}) removed or marked {Count} objects")]
    public static partial void Purged(ILogger logger, string mode, int count);

    [LoggerMessage(6, LogLevel.Warning, "Rejected request: {Reason}")]
    public static partial void Rejected(ILogger logger, string reason);

    [LoggerMessage(7, LogLevel.Warning, "Client went away while {Key} was being sent")]
    public static partial void ClientAborted(ILogger logger, string key);

    [LoggerMessage(8, LogLevel.Error, "Unexpected error serving {Key}")]
    public static partial void Unexpected(ILogger logger, string key, Exception exception);

    [LoggerMessage(9, LogLevel.Warning, "Direct path failed; the request goes to Kestrel or the connection is closed")]
    public static partial void DirectPathFailed(ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Debug, "Body of {Key} left the memory tier between lookup and send; fetching it again")]
    public static partial void StoredBodyLeft(ILogger logger, string key);

    [LoggerMessage(11, LogLevel.Error, "Event loop failed on connection {ConnectionId}; the connection is closed")]
    public static partial void EventLoopFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(12, LogLevel.Error, "A callback on the close of connection {ConnectionId} failed")]
    public static partial void ConnectionClosedCallbackFailed(ILogger logger, string connectionId, Exception exception);
}
