using System.Text.Json.Nodes;
using EdgeFleet.Api;
using EdgeFleet.Api.V1Alpha1;

namespace EdgeFleet.Operator.Builders;

/// <summary>
/// Renders the cache server's configuration (section <c>EdgeFleet</c> of edgefleet.json) for one
/// tier. Key names are the cache server's configuration contract; durations are written as .NET
/// TimeSpan strings (<c>00:01:00</c>) because that is what configuration binding reads.
/// </summary>
internal static class CacheConfigBuilder
{
    public const string Section = "EdgeFleet";

    public static JsonObject Build(Origin origin, EdgeCache edgeCache, CacheTier tier, BuilderOptions options)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(edgeCache);
        ArgumentNullException.ThrowIfNull(tier);
        ArgumentNullException.ThrowIfNull(options);
        var spec = origin.Spec;
        var cache = edgeCache.Spec.Cache;
        var config = new JsonObject
        {
            ["Origin"] = spec.Url,
            ["OriginHost"] = spec.HostHeader ?? new Uri(spec.Url).Authority,
            ["Listen"] = $"http://0.0.0.0:{CachePaths.PublicPort}",
            ["AdminListen"] = $"http://0.0.0.0:{CachePaths.AdminPort}",
            ["MemorySize"] = cache.MemorySize,
            ["DiskPath"] = CachePaths.DiskPath,
            ["DiskSize"] = cache.DiskSize,
        };

        if (tier.IsEdge && edgeCache.Spec.Shield.Replicas > 0)
        {
            var shield = CacheTier.Shield(edgeCache);
            config["Shields"] = new JsonArray(Enumerable.Range(0, shield.Replicas)
                .Select(i => (JsonNode)$"http://{shield.Name}-{i}.{shield.Name}.{shield.Namespace}.svc:{CachePaths.PublicPort}")
                .ToArray());
        }

        if (!tier.IsEdge && edgeCache.Spec.Shield.Replicas > 1)
        {
            // Every shield forwards a fleet-wide invalidation to the others (each skips itself).
            var shield = CacheTier.Shield(edgeCache);
            config["Peers"] = new JsonArray(Enumerable.Range(0, shield.Replicas)
                .Select(i => (JsonNode)$"http://{shield.Name}-{i}.{shield.Name}.{shield.Namespace}.svc:{CachePaths.AdminPort}")
                .ToArray());
        }

        config["LeaseDuration"] = Duration(spec.LeaseDuration);
        config["DefaultTtl"] = Duration(spec.DefaultTtl);
        config["Downstream"] = new JsonArray((spec.Downstream ?? []).Select(Downstream).ToArray());
        config["DnsTtlSeconds"] = edgeCache.Spec.DnsTtlSeconds;
        config["ResolverSlackSeconds"] = options.ResolverSlackSeconds;
        if (tier.RegionName is { } region)
        {
            config["Region"] = region;
        }

        config["OriginConnectTimeout"] = Duration(spec.Timeouts.Connect);
        config["OriginReadTimeout"] = Duration(spec.Timeouts.Read);
        if (spec.Tls is { } tls)
        {
            var tlsConfig = new JsonObject { ["InsecureSkipVerify"] = tls.InsecureSkipVerify };
            if (tls.CaSecretRef is not null)
            {
                tlsConfig["CaFile"] = CachePaths.OriginCaFile;
            }

            if (tls.ServerName is { } serverName)
            {
                tlsConfig["ServerName"] = serverName;
            }

            config["OriginTls"] = tlsConfig;
        }

        config["OriginHealthCheck"] = new JsonObject
        {
            ["Path"] = spec.HealthCheck.Path,
            ["Interval"] = Duration(spec.HealthCheck.Interval),
            ["ExpectStatus"] = spec.HealthCheck.ExpectStatus,
        };
        config["Notices"] = new JsonObject
        {
            ["UpdateMaxBytes"] = spec.Notices.UpdateMaxBytes,
            ["UpdateMinRequestsPerMinute"] = spec.Notices.UpdateMinRequestsPerMinute,
        };
        config["AdaptivePolling"] = new JsonObject
        {
            ["Enabled"] = spec.AdaptivePolling.Enabled,
            ["MinInterval"] = Duration(spec.AdaptivePolling.MinInterval),
            ["MaxInterval"] = Duration(spec.AdaptivePolling.MaxInterval),
        };
        if (spec.NotificationSecretRef is not null)
        {
            config["OriginNotificationTokenFile"] = CachePaths.OriginNotifyTokenFile;
        }

        return new JsonObject { [Section] = config };
    }

    private static JsonNode Downstream(DownstreamPolicy policy)
    {
        var entry = new JsonObject
        {
            ["ContentTypes"] = new JsonArray(policy.ContentTypes.Select(t => (JsonNode)t).ToArray()),
            ["CacheControl"] = policy.CacheControl,
        };
        if (policy.Expires is { } expires)
        {
            entry["Expires"] = Duration(expires);
        }

        return entry;
    }

    private static string Duration(string goDuration) => Durations.ToConfigurationString(Durations.Parse(goDuration));
}
