using EdgeFleet.Http;
using EdgeFleet.Storage;

namespace EdgeFleet.Cache.Fleet;

/// <summary>Puts a complete response (one without Vary) in a store, as the cache itself would.</summary>
internal static class StoredVersion
{
    public static bool Put(IObjectStore store, string key, ResponseHead head, ReadOnlyMemory<byte> body)
    {
        var tags = head.Headers.GetCombined(HeaderNames.SurrogateKey)?
            .Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries) ?? [];
        return store.Put(key, CachedEntrySerializer.Serialize(CachedEntry.ForResponse(head)), body, tags);
    }

    public static string VersionOf(ResponseHead head) =>
        LeaseHeader.VersionOf(head.Headers.GetFirst(HeaderNames.ETag), head.Headers.GetFirst(HeaderNames.LastModified));
}
