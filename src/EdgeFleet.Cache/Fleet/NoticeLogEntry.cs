namespace EdgeFleet.Cache.Fleet;

/// <summary>A notice as the log keeps it, with the edges it went to (null: every edge, a broadcast).</summary>
internal sealed record NoticeLogEntry(Notice Notice, string[]? Edges);
