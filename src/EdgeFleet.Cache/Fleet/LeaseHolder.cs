namespace EdgeFleet.Cache.Fleet;

/// <summary>One edge's lease on one key, as the shield records it.</summary>
internal readonly record struct LeaseHolder(string Edge, string Version, DateTimeOffset Expires);
