using System.Globalization;
using EdgeFleet.Http;
using Microsoft.Extensions.Primitives;

namespace EdgeFleet.Cache;

/// <summary>
/// A stored object as the cache server sees it, decoded once from the store's metadata and
/// memoised on the stored object: either a response (its head and the fields ready to send)
/// or a Vary marker that names the fields selecting a variant.
/// </summary>
internal sealed class CachedEntry
{
    // Fields the stored head keeps but the client must not see as stored: Age is recomputed,
    // Surrogate-* are instructions to this cache (Surrogate-Key tags are kept as tags), the
    // Content-Length is the one of what is sent (a range, a 304), and Cache-Status gets this
    // cache's member appended. Filtered once here, so a hit copies fields without comparing names.
    private static readonly HashSet<string> NotSent = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Age, HeaderNames.SurrogateKey, HeaderNames.SurrogateControl,
        HeaderNames.ContentLength, HeaderNames.CacheStatus,
    };

    private CachedEntry(ResponseHead? head, IReadOnlyList<string> varyNames)
    {
        Head = head;
        VaryNames = varyNames;
        if (head is not null)
        {
            var fields = new List<KeyValuePair<string, StringValues>>(head.Headers.Count);
            foreach (var (name, values) in head.Headers)
            {
                if (!NotSent.Contains(name))
                {
                    fields.Add(new(name, new StringValues(values)));
                }
            }

            ClientFields = [.. fields];
        }
        else
        {
            ClientFields = [];
        }
    }

    /// <summary>The stored response; null for a Vary marker.</summary>
    public ResponseHead? Head { get; }

    /// <summary>For a marker, the request fields that select the variant.</summary>
    public IReadOnlyList<string> VaryNames { get; }

    public bool IsVaryMarker => Head is null;

    /// <summary>Stored fields to send as they are, in order.</summary>
    public KeyValuePair<string, StringValues>[] ClientFields { get; }

    private HitStatusMemo? _hitStatus;
    private LengthMemo? _length;

    /// <summary>
    /// A body length as <c>Content-Length</c>'s value, memoised: a stored body keeps its length, so
    /// its hits share one string instead of formatting one each.
    /// </summary>
    public string LengthField(long length)
    {
        var memo = Volatile.Read(ref _length);
        if (memo is null || memo.Length != length)
        {
            memo = new LengthMemo(length, length.ToString(CultureInfo.InvariantCulture));
            Volatile.Write(ref _length, memo);
        }

        return memo.Value;
    }

    /// <summary>
    /// This entry's <c>Cache-Status</c> for a fresh hit: the same string for every hit within one
    /// second of remaining freshness, so a hot object's hits allocate nothing for it.
    /// </summary>
    public string HitStatus(string cacheName, TimeSpan ttl)
    {
        var seconds = (long)Math.Floor(ttl.TotalSeconds);
        var memo = Volatile.Read(ref _hitStatus);
        if (memo is null || memo.Seconds != seconds || !ReferenceEquals(memo.CacheName, cacheName))
        {
            memo = new HitStatusMemo(cacheName, seconds, CacheStatus.Hit(cacheName, ttl));
            Volatile.Write(ref _hitStatus, memo);
        }

        return memo.Value;
    }

    public static CachedEntry ForResponse(ResponseHead head) => new(head, head.Vary);

    public static CachedEntry ForVaryMarker(IReadOnlyList<string> varyNames) => new(null, varyNames);

    /// <summary>The entry of a stored object, decoding and memoising it on first use.</summary>
    public static CachedEntry Of(EdgeFleet.Storage.StoredObject stored)
    {
        if (stored.Decoded is CachedEntry entry)
        {
            return entry;
        }

        entry = CachedEntrySerializer.Deserialize(stored.Metadata.Span);
        stored.Decoded = entry;
        return entry;
    }
}
