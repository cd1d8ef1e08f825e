namespace EdgeFleet.Cache.Fleet;

/// <summary>A notice waiting for an edge's acknowledgement, until its lease there ends.</summary>
internal sealed record PendingNotice(Notice Notice, Invalidation? Invalidation, DateTimeOffset Expires);
