using EdgeFleet.Http;
using EdgeFleet.Storage;

namespace EdgeFleet.Cache;

/// <summary>Purges by URL, prefix or tag: hard (removed) or soft (stale from now on).</summary>
internal sealed class PurgeService(IObjectStore store, RequestCoalescer coalescer, CacheMetrics metrics, TimeProvider time, ILogger<PurgeService> logger)
{
    /// <summary>Validates a request; returns the first problem, naming the field, or null.</summary>
    public static string? Validate(PurgeRequest? request)
    {
        if (request is null)
        {
            return "body must be a JSON object with urls, prefixes or tags";
        }

        if (request.Urls.Count + request.Prefixes.Count + request.Tags.Count == 0)
        {
            return "at least one of urls, prefixes or tags is required";
        }

        for (var i = 0; i < request.Urls.Count; i++)
        {
            if (request.Urls[i] is null || CacheKey.FromTarget(request.Urls[i]) is null)
            {
                return $"urls[{i}] must be an absolute http(s) URL or a path starting with /";
            }
        }

        for (var i = 0; i < request.Prefixes.Count; i++)
        {
            if (request.Prefixes[i] is null || CacheKey.FromTarget(request.Prefixes[i]) is null)
            {
                return $"prefixes[{i}] must be a path starting with / (or an absolute URL)";
            }
        }

        for (var i = 0; i < request.Tags.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(request.Tags[i]) || request.Tags[i].Any(char.IsWhiteSpace))
            {
                return $"tags[{i}] must be a non-empty tag without spaces";
            }
        }

        return null;
    }

    /// <summary>Carries out a validated request; returns the number of objects affected.</summary>
    public int Purge(PurgeRequest request)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var url in request.Urls)
        {
            var key = CacheKey.FromTarget(url)!;
            keys.Add(key);
            keys.UnionWith(store.KeysWithPrefix(key + CacheKey.VariantSeparator));
        }

        foreach (var prefix in request.Prefixes)
        {
            keys.UnionWith(store.KeysWithPrefix(CacheKey.FromTarget(prefix)!));
        }

        foreach (var tag in request.Tags)
        {
            keys.UnionWith(store.KeysWithTag(tag));
        }

        var now = time.GetUtcNow();
        var count = 0;
        foreach (var key in keys)
        {
            if (request.Soft ? store.Invalidate(key, now) : store.Remove(key))
            {
                count++;
            }

            coalescer.Forget(key);
        }

        metrics.Purged(count, request.Soft);
        Log.Purged(logger, request.Soft ? "soft" : "hard", count);
        return count;
    }
}
