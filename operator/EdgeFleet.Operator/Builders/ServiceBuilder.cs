using System.Globalization;
using System.Text.Json.Nodes;
using EdgeFleet.Api.V1Alpha1;

namespace EdgeFleet.Operator.Builders;

/// <summary>
/// The headless Service of a tier. Its DNS answer is the tier's ready pods (not-ready addresses are
/// not published), which is the round-robin DNS of the design; for a region it also carries the
/// ExternalDNS annotations that publish the same answer under the region's public name and TTL.
/// </summary>
internal static class ServiceBuilder
{
    public static JsonObject Build(EdgeCache edgeCache, CacheTier tier)
    {
        ArgumentNullException.ThrowIfNull(edgeCache);
        ArgumentNullException.ThrowIfNull(tier);
        var metadata = ObjectMetadata.For(edgeCache, tier.Name, FleetLabels.For(tier));
        if (tier.Region is { } region)
        {
            metadata["annotations"] = new JsonObject
            {
                [FleetLabels.ExternalDnsHostname] = region.DnsName,
                [FleetLabels.ExternalDnsTtl] = edgeCache.Spec.DnsTtlSeconds.ToString(CultureInfo.InvariantCulture),
            };
        }

        var service = ObjectMetadata.Object("v1", "Service", metadata);
        service["spec"] = new JsonObject
        {
            ["clusterIP"] = "None",
            ["publishNotReadyAddresses"] = false,
            ["selector"] = FleetLabels.Selector(tier),
            ["ports"] = new JsonArray(
                Port(CachePaths.PublicPortName, CachePaths.PublicPort),
                Port(CachePaths.AdminPortName, CachePaths.AdminPort)),
        };
        return service;
    }

    private static JsonObject Port(string name, int port) => new()
    {
        ["name"] = name,
        ["port"] = port,
        ["targetPort"] = name,
        ["protocol"] = "TCP",
    };
}
