namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// Shield role: conditional polling of leased objects at the origin (section
/// <c>EdgeFleet:AdaptivePolling</c>). Off by default: it costs origin requests, so an origin
/// that notifies or is invalidated explicitly does not need it.
/// </summary>
public sealed class AdaptivePollingOptions
{
    public bool Enabled { get; set; }

    /// <summary>The first and shortest interval between two polls of one object.</summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest interval, reached by doubling while the object does not change.</summary>
    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Objects without ETag or Last-Modified are polled with a full GET and compared by a hash of
    /// their content, up to this size; a larger one's changes are left to invalidations.
    /// </summary>
    public long MaxContentHashBytes { get; set; } = 16 * 1024 * 1024;
}
