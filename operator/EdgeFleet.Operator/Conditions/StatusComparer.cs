using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeFleet.Api;

namespace EdgeFleet.Operator.Conditions;

/// <summary>Decides whether a status must be written: only when its JSON differs from what is stored.</summary>
internal static class StatusComparer
{
    public static bool StatusChanged<TStatus>(TStatus? current, TStatus desired)
        where TStatus : ResourceStatus
    {
        ArgumentNullException.ThrowIfNull(desired);
        var before = current is null ? null : JsonSerializer.SerializeToNode(current, EdgeFleetJson.Options);
        var after = JsonSerializer.SerializeToNode(desired, EdgeFleetJson.Options);
        return !JsonNode.DeepEquals(before, after);
    }
}
