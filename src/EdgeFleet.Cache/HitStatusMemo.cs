namespace EdgeFleet.Cache;

/// <summary>A formatted <c>Cache-Status</c> hit value for one whole second of remaining freshness.</summary>
internal sealed record HitStatusMemo(string CacheName, long Seconds, string Value);
