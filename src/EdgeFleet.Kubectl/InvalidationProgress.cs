using System.Globalization;
using System.Text.Json.Nodes;
using EdgeFleet.Api;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Kubernetes;

namespace EdgeFleet.Kubectl;

/// <summary>Where an Invalidation stands, as the plugin reports it: phase and holders acknowledged of targeted.</summary>
internal sealed record InvalidationProgress(string Name, string Phase, long Acknowledged, long Targeted, long Expired, string? Message)
{
    public bool IsComplete => Phase == InvalidationPhases.Complete;

    public bool IsFailed => Phase == InvalidationPhases.Failed;

    public static InvalidationProgress Of(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var invalidation = KubernetesJson.ToObject<Invalidation>(obj, EdgeFleetJson.Options);
        var status = invalidation.Status;
        // The operator explains a failure in a condition; prefer the one that says something.
        var message = status?.Conditions?
            .Where(c => c.Status != ConditionStatus.True && c.Message.Length > 0)
            .Select(c => c.Message)
            .FirstOrDefault();
        return new InvalidationProgress(
            obj.Name() ?? "", status?.Phase ?? InvalidationPhases.Pending, status?.Acknowledged ?? 0, status?.Targeted ?? 0, status?.Expired ?? 0, message);
    }

    /// <summary>e.g. <c>InProgress: 3/5 acknowledged</c>, with expired leases when there are any.</summary>
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{Phase}: {Acknowledged}/{Targeted} acknowledged")
        + (Expired > 0 ? string.Create(CultureInfo.InvariantCulture, $", {Expired} expired") : "");
}
