namespace EdgeFleet.Cache;

/// <summary>The disk tier's log events (ids 300 and up).</summary>
internal static partial class DiskLog
{
    [LoggerMessage(300, LogLevel.Information, "Disk tier {Path}: {Objects} objects, {Bytes} of {Capacity} bytes, {Discarded} files discarded, index rebuilt in {Seconds:F2} s")]
    public static partial void Opened(ILogger logger, string path, long objects, long bytes, long capacity, long discarded, double seconds);

    [LoggerMessage(301, LogLevel.Error, "Disk tier {Path} cannot be used ({Problem}); serving from memory and the origin, retrying later")]
    public static partial void Unusable(ILogger logger, string path, string problem);

    [LoggerMessage(302, LogLevel.Warning, "Stored copy of {Key} could not be read ({Error}); fetching it again")]
    public static partial void StoredCopyUnreadable(ILogger logger, string key, string error);
}
