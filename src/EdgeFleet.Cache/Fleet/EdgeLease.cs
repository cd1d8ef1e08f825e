namespace EdgeFleet.Cache.Fleet;

/// <summary>A lease an edge holds: the version it covers, until when, and from which shield.</summary>
internal sealed record EdgeLease(string Version, DateTimeOffset Expires, string Shield);
