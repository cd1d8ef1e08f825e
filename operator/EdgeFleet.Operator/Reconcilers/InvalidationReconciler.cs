using EdgeFleet.Api;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Kubernetes;
using EdgeFleet.Operator.Builders;
using EdgeFleet.Operator.Controllers;
using static EdgeFleet.Operator.Reconcilers.InvalidationState;

namespace EdgeFleet.Operator.Reconcilers;

/// <summary>
/// Follows each new Invalidation to the end: Pending → InProgress → Complete. With a shield tier it
/// is handed to the shields (<see cref="ShieldHandoff"/>); with <c>spec.shield.replicas</c> 0 every
/// edge pod is purged directly (<see cref="DirectPurge"/>). A missing EdgeCache fails the
/// Invalidation; a missing admin Secret sets Degraded and is retried with backoff. Watches
/// Invalidations; a finished one is never sent again (its spec cannot change).
/// </summary>
internal sealed class InvalidationReconciler : IReconciler
{
    public const string ControllerName = "invalidation";

    private readonly KubernetesClient _client;
    private readonly ShieldHandoff _shields;
    private readonly DirectPurge _edges;
    private readonly EventRecorder _events;
    private readonly TimeProvider _time;

    public InvalidationReconciler(KubernetesClient client, ShieldHandoff shields, DirectPurge edges, EventRecorder events, TimeProvider time)
    {
        _client = client;
        _shields = shields;
        _edges = edges;
        _events = events;
        _time = time;
    }

    public string Name => ControllerName;

    public async Task<ReconcileResult> ReconcileAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var obj = await _client.GetOrNullAsync(ResourceType.Invalidations, @namespace, name, cancellationToken);
        if (obj is null || obj.DeletionTimestamp() is not null)
        {
            _edges.Forget(KubernetesObjectExtensions.KeyOf(@namespace, name));
            return ReconcileResult.Done;
        }

        var invalidation = StatusWriter.Read<Invalidation>(obj);
        var status = invalidation.Status ?? new InvalidationStatus();
        if (status.Phase is InvalidationPhases.Complete or InvalidationPhases.Failed)
        {
            return ReconcileResult.Done;
        }

        var state = new InvalidationState(_client, _time, obj, invalidation);
        if (status.Phase is null)
        {
            await state.WriteAsync(status with { Phase = InvalidationPhases.Pending }, Ready(false, ConditionReasons.Pending, "waiting to be handed to the shield tier (or, without shields, to the edge pods)"), null, cancellationToken);
        }

        var edgeCacheName = invalidation.Spec.EdgeCacheRef.Name;
        var edgeCacheObj = await _client.GetOrNullAsync(ResourceType.EdgeCaches, @namespace, edgeCacheName, cancellationToken);
        if (edgeCacheObj is null)
        {
            var message = $"EdgeCache \"{edgeCacheName}\" not found in namespace {@namespace}";
            await state.WriteAsync(state.Status with { Phase = InvalidationPhases.Failed }, Ready(false, ConditionReasons.EdgeCacheNotFound, message), null, cancellationToken);
            await _events.RecordAsync(state.Object, EventRecorder.Warning, ConditionReasons.EdgeCacheNotFound, message, cancellationToken);
            return ReconcileResult.Done;
        }

        var edgeCache = StatusWriter.Read<EdgeCache>(edgeCacheObj);
        var secretName = CacheTier.AdminSecretName(edgeCache);
        var token = AdminToken.Read(await _client.GetOrNullAsync(ResourceType.Secrets, @namespace, secretName, cancellationToken));
        if (token is null)
        {
            // The EdgeCache's controller creates it; until then there is no way to authenticate.
            var message = $"the admin Secret \"{secretName}\" (key {CachePaths.AdminTokenKey}) does not exist yet";
            await state.WriteAsync(state.Status, null, Degraded(true, ConditionReasons.SecretNotFound, message), cancellationToken);
            return ReconcileResult.RetryWithBackoff;
        }

        // Without shields the edges hold no leases, so no shield could tell them: each is purged itself.
        return edgeCache.Spec.Shield.Replicas == 0
            ? await _edges.RunAsync(state, edgeCache, token, cancellationToken)
            : await _shields.RunAsync(state, edgeCache, token, cancellationToken);
    }
}
