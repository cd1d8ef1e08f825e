namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// A lease an edge holds: the version it covers, until when, from which shield, and for a version
/// pushed by an UPDATE the id of the change that pushed it.
/// </summary>
internal sealed record EdgeLease(string Version, DateTimeOffset Expires, string Shield, string? Change = null);
