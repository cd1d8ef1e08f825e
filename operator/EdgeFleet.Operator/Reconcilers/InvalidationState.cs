using System.Text.Json.Nodes;
using EdgeFleet.Api;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Kubernetes;
using EdgeFleet.Operator.Conditions;

namespace EdgeFleet.Operator.Reconcilers;

/// <summary>An Invalidation as last written in this reconcile, so each step builds on the previous one.</summary>
internal sealed class InvalidationState(KubernetesClient client, TimeProvider time, JsonObject obj, Invalidation invalidation)
{
    public JsonObject Object { get; private set; } = obj;

    public string Key { get; } = obj.Key();

    public Invalidation Invalidation { get; } = invalidation;

    public InvalidationStatus Status { get; set; } = invalidation.Status ?? new InvalidationStatus();

    private InvalidationStatus? Stored { get; set; } = invalidation.Status;

    /// <summary>Now, to the second: metav1.Time has whole seconds, and a finer time would differ from what is read back.</summary>
    public DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return new(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    public async Task WriteAsync(InvalidationStatus status, Condition? ready, Condition? degraded, CancellationToken cancellationToken)
    {
        var generation = Invalidation.Metadata.Generation;
        var computed = new[] { ready, degraded }.OfType<Condition>().Select(c => c with { ObservedGeneration = generation });
        var next = status with
        {
            ObservedGeneration = generation,
            Conditions = ConditionSet.Merge(Status.Conditions, computed, time.GetUtcNow()),
        };
        Object = await StatusWriter.WriteIfChangedAsync(client, ResourceType.Invalidations, Object, Stored, next, cancellationToken);
        Status = next;
        Stored = next;
    }

    public static Condition Ready(bool ready, string reason, string message) => ConditionFactory.Make(ConditionTypes.Ready, ready, reason, message, null);

    public static Condition Degraded(bool degraded, string reason, string message) => ConditionFactory.Make(ConditionTypes.Degraded, degraded, reason, message, null);
}
