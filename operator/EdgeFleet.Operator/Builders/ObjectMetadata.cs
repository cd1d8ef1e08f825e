using System.Text.Json.Nodes;
using EdgeFleet.Api;
using EdgeFleet.Api.V1Alpha1;

namespace EdgeFleet.Operator.Builders;

/// <summary>The metadata every owned object carries: name, namespace, labels and the owner reference.</summary>
internal static class ObjectMetadata
{
    public static JsonObject For(EdgeCache edgeCache, string name, JsonObject labels)
    {
        ArgumentNullException.ThrowIfNull(edgeCache);
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = edgeCache.Metadata.Namespace ?? "default",
            ["labels"] = labels,
        };

        // Without a uid (render from files, no cluster) there is nothing to point at yet; the
        // reconciler always has one, and garbage collection then removes the fleet with its EdgeCache.
        if (edgeCache.Metadata.Uid is { Length: > 0 } uid)
        {
            metadata["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = EdgeFleetApi.ApiVersion,
                ["kind"] = EdgeFleetApi.EdgeCacheKind,
                ["name"] = edgeCache.Metadata.Name,
                ["uid"] = uid,
                ["controller"] = true,
                ["blockOwnerDeletion"] = true,
            });
        }

        return metadata;
    }

    public static JsonObject Object(string apiVersion, string kind, JsonObject metadata) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["metadata"] = metadata,
    };
}
