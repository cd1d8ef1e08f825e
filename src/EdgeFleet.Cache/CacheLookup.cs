using EdgeFleet.Storage;

namespace EdgeFleet.Cache;

/// <summary>The result of looking a request up: the stored response selected, if any.</summary>
internal readonly record struct CacheLookup(StoredObject? Stored, CachedEntry? Entry, string StorageKey, bool VaryMiss);
