namespace EdgeFleet.Cache.Fleet;

/// <summary>The fleet's log events, with stable ids (100 and up; the cache server uses 1 to 99).</summary>
internal static partial class FleetLog
{
    [LoggerMessage(100, LogLevel.Warning, "Notices to edge {Edge} failed: {Error}")]
    public static partial void NoticeFailed(ILogger logger, string edge, string error);

    [LoggerMessage(101, LogLevel.Warning, "Edge {Edge} refused notices with {Status}")]
    public static partial void NoticeRefused(ILogger logger, string edge, int status);

    [LoggerMessage(102, LogLevel.Error, "Notice sender for edge {Edge} failed")]
    public static partial void NoticeLoopFailed(ILogger logger, string edge, Exception exception);

    [LoggerMessage(103, LogLevel.Warning, "Shield {Shield} is down for a while: {Error}")]
    public static partial void ShieldDown(ILogger logger, string shield, string error);

    [LoggerMessage(104, LogLevel.Information, "Invalidation {Id}: {Keys} keys changed, {Notices} notices queued (broadcast: {Broadcast})")]
    public static partial void Invalidating(ILogger logger, string id, int keys, int notices, bool broadcast);

    [LoggerMessage(105, LogLevel.Information, "Caught up with shield {Shield}: {Count} notices applied")]
    public static partial void CaughtUp(ILogger logger, string shield, int count);

    [LoggerMessage(106, LogLevel.Warning, "Shield {Shield}'s notice log does not reach back far enough: every object is marked stale")]
    public static partial void MarkedAllStale(ILogger logger, string shield);

    [LoggerMessage(107, LogLevel.Warning, "Forwarding invalidation {Id} to peer {Peer} failed: {Error}")]
    public static partial void ForwardFailed(ILogger logger, string id, string peer, string error);

    [LoggerMessage(108, LogLevel.Warning, "Adaptive poll of {Key} failed: {Error}")]
    public static partial void PollFailed(ILogger logger, string key, string error);

    [LoggerMessage(109, LogLevel.Warning, "Could not reach shield {Shield} to catch up: {Error}")]
    public static partial void CatchUpFailed(ILogger logger, string shield, string error);
}
