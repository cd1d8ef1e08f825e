namespace EdgeFleet.Cache.Fleet;

/// <summary>The body of <c>GET /admin/invalidations/{id}</c>.</summary>
public sealed record InvalidationStatus(string Id, int Targeted, int Acknowledged, int Expired, bool Complete, long? DurationMs);
