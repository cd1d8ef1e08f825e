namespace EdgeFleet.Cache;

/// <summary>A body length and its decimal text (<see cref="CachedEntry.LengthField"/>).</summary>
internal sealed record LengthMemo(long Length, string Value);
