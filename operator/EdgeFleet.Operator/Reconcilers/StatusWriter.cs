using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeFleet.Api;
using EdgeFleet.Kubernetes;
using EdgeFleet.Operator.Conditions;

namespace EdgeFleet.Operator.Reconcilers;

/// <summary>Writes a custom resource's status through the status subresource, and only when it changed.</summary>
internal static class StatusWriter
{
    /// <summary>
    /// PUTs <paramref name="desired"/> as the status of <paramref name="obj"/> (as read, so a concurrent
    /// change is a conflict rather than lost) unless it equals <paramref name="current"/>. Answers the
    /// object as the server now has it.
    /// </summary>
    public static async Task<JsonObject> WriteIfChangedAsync<TStatus>(
        KubernetesClient client, ResourceType type, JsonObject obj, TStatus? current, TStatus desired, CancellationToken cancellationToken)
        where TStatus : ResourceStatus
    {
        if (!StatusComparer.StatusChanged(current, desired))
        {
            return obj;
        }

        var update = (JsonObject)obj.DeepClone();
        update["status"] = JsonSerializer.SerializeToNode(desired, EdgeFleetJson.Options);
        return await client.UpdateStatusAsync(type, update, cancellationToken);
    }

    public static T Read<T>(JsonObject obj) => KubernetesJson.ToObject<T>(obj, EdgeFleetJson.Options);
}
