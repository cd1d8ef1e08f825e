using System.Text.Json.Nodes;
using EdgeFleet.Api;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Kubernetes;
using EdgeFleet.Operator.Builders;
using EdgeFleet.Operator.Conditions;
using EdgeFleet.Operator.Controllers;

namespace EdgeFleet.Operator.Reconcilers;

/// <summary>
/// Hands each new Invalidation to the shield tier of its EdgeCache and follows it to the end:
/// Pending → InProgress (the shield's id recorded) → Complete, copying the shield's counts of
/// lease holders targeted, acknowledged and expired into the status as it polls. A missing
/// EdgeCache fails the Invalidation; an unreachable shield tier sets Degraded and is retried with
/// backoff. Watches Invalidations; a finished one is never sent again (its spec cannot change).
/// </summary>
internal sealed partial class InvalidationReconciler : IReconciler
{
    public const string ControllerName = "invalidation";

    private readonly KubernetesClient _client;
    private readonly ShieldAdminClient _shield;
    private readonly IShieldEndpoints _endpoints;
    private readonly TimeSpan _pollInterval;
    private readonly EventRecorder _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public InvalidationReconciler(
        KubernetesClient client, ShieldAdminClient shield, IShieldEndpoints endpoints, TimeSpan pollInterval,
        EventRecorder events, TimeProvider time, ILogger logger)
    {
        _client = client;
        _shield = shield;
        _endpoints = endpoints;
        _pollInterval = pollInterval;
        _events = events;
        _time = time;
        _logger = logger;
    }

    public string Name => ControllerName;

    public async Task<ReconcileResult> ReconcileAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var obj = await _client.GetOrNullAsync(ResourceType.Invalidations, @namespace, name, cancellationToken);
        if (obj is null || obj.DeletionTimestamp() is not null)
        {
            return ReconcileResult.Done;
        }

        var invalidation = StatusWriter.Read<Invalidation>(obj);
        var status = invalidation.Status ?? new InvalidationStatus();
        if (status.Phase is InvalidationPhases.Complete or InvalidationPhases.Failed)
        {
            return ReconcileResult.Done;
        }

        var state = new State(obj, invalidation);
        if (status.Phase is null)
        {
            await state.WriteAsync(this, status with { Phase = InvalidationPhases.Pending }, Ready(false, ConditionReasons.Pending, "waiting to be handed to the shield tier"), null, cancellationToken);
        }

        var edgeCacheName = invalidation.Spec.EdgeCacheRef.Name;
        var edgeCacheObj = await _client.GetOrNullAsync(ResourceType.EdgeCaches, @namespace, edgeCacheName, cancellationToken);
        if (edgeCacheObj is null)
        {
            var message = $"EdgeCache \"{edgeCacheName}\" not found in namespace {@namespace}";
            await state.WriteAsync(this, state.Status with { Phase = InvalidationPhases.Failed }, Ready(false, ConditionReasons.EdgeCacheNotFound, message), null, cancellationToken);
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
            await state.WriteAsync(this, state.Status, null, Degraded(true, ConditionReasons.SecretNotFound, message), cancellationToken);
            return ReconcileResult.RetryWithBackoff;
        }

        var shields = _endpoints.Resolve(edgeCache);
        try
        {
            return state.Status.ShieldInvalidationIds is [var id, ..]
                ? await FollowAsync(state, shields, token, id, cancellationToken)
                : await StartAsync(state, shields, token, cancellationToken);
        }
        catch (ShieldUnavailableException e)
        {
            LogShieldUnavailable(_logger, state.Key, e.Message);
            await state.WriteAsync(this, state.Status, null, Degraded(true, ConditionReasons.ShieldUnreachable, e.Message), cancellationToken);
            return ReconcileResult.RetryWithBackoff;
        }
        catch (ShieldRejectedException e)
        {
            await state.WriteAsync(this, state.Status with { Phase = InvalidationPhases.Failed }, Ready(false, ConditionReasons.ShieldRejected, e.Message), Degraded(false, ConditionReasons.AsExpected, "the shield tier answered"), cancellationToken);
            await _events.RecordAsync(state.Object, EventRecorder.Warning, ConditionReasons.ShieldRejected, e.Message, cancellationToken);
            return ReconcileResult.Done;
        }
    }

    private async Task<ReconcileResult> StartAsync(State state, IReadOnlyList<Uri> shields, string token, CancellationToken cancellationToken)
    {
        var id = await _shield.StartAsync(shields, token, state.Invalidation.Spec, cancellationToken);
        LogStarted(_logger, state.Key, id);
        var status = state.Status with
        {
            Phase = InvalidationPhases.InProgress,
            ShieldInvalidationIds = [id],
            StartTime = state.Status.StartTime ?? Second(_time.GetUtcNow()),
        };
        await state.WriteAsync(this, status, Ready(false, ConditionReasons.AwaitingAcknowledgements, "handed to the shield tier; waiting for lease holders"), Healthy(), cancellationToken);
        return ReconcileResult.After(_pollInterval);
    }

    private async Task<ReconcileResult> FollowAsync(State state, IReadOnlyList<Uri> shields, string token, string id, CancellationToken cancellationToken)
    {
        var progress = await _shield.GetProgressAsync(shields, token, id, cancellationToken);
        if (progress is null)
        {
            // Every shield forgot the id (restarted): sending it again is safe, an invalidation is idempotent.
            LogForgotten(_logger, state.Key, id);
            state.Status = state.Status with { ShieldInvalidationIds = [] };
            return await StartAsync(state, shields, token, cancellationToken);
        }

        var counts = state.Status with { Targeted = progress.Targeted, Acknowledged = progress.Acknowledged, Expired = progress.Expired };
        if (!progress.Complete)
        {
            var waiting = $"{progress.Acknowledged} of {progress.Targeted} lease holders acknowledged, {progress.Expired} leases expired";
            await state.WriteAsync(this, counts, Ready(false, ConditionReasons.AwaitingAcknowledgements, waiting), Healthy(), cancellationToken);
            return ReconcileResult.After(_pollInterval);
        }

        var done = $"every lease holder acknowledged ({progress.Acknowledged}) or its lease expired ({progress.Expired}) of {progress.Targeted} targeted";
        await state.WriteAsync(
            this, counts with { Phase = InvalidationPhases.Complete, CompletionTime = Second(_time.GetUtcNow()) },
            Ready(true, ConditionReasons.InvalidationComplete, done), Healthy(), cancellationToken);
        await _events.RecordAsync(state.Object, EventRecorder.Normal, ConditionReasons.InvalidationComplete, done, cancellationToken);
        return ReconcileResult.Done;
    }


    // metav1.Time has whole seconds; a finer time would differ from what is read back.
    private static DateTimeOffset Second(DateTimeOffset now) => new(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static Condition Ready(bool ready, string reason, string message) => ConditionFactory.Make(ConditionTypes.Ready, ready, reason, message, null);

    private static Condition Degraded(bool degraded, string reason, string message) => ConditionFactory.Make(ConditionTypes.Degraded, degraded, reason, message, null);

    private static Condition Healthy() => Degraded(false, ConditionReasons.AsExpected, "the shield tier answered");

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Invalidation {Key} handed to the shield tier as {Id}")]
    private static partial void LogStarted(ILogger logger, string key, string id);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Invalidation {Key}: shield tier unavailable: {Error}; retrying with backoff")]
    private static partial void LogShieldUnavailable(ILogger logger, string key, string error);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Invalidation {Key}: no shield knows id {Id}; sending it again")]
    private static partial void LogForgotten(ILogger logger, string key, string id);

    /// <summary>The Invalidation as last written in this reconcile, so each step builds on the previous one.</summary>
    private sealed class State(JsonObject obj, Invalidation invalidation)
    {
        public JsonObject Object { get; private set; } = obj;

        public string Key { get; } = obj.Key();

        public Invalidation Invalidation { get; } = invalidation;

        public InvalidationStatus Status { get; set; } = invalidation.Status ?? new InvalidationStatus();

        private InvalidationStatus? Stored { get; set; } = invalidation.Status;

        public async Task WriteAsync(
            InvalidationReconciler owner, InvalidationStatus status, Condition? ready, Condition? degraded, CancellationToken cancellationToken)
        {
            var generation = Invalidation.Metadata.Generation;
            var computed = new[] { ready, degraded }.OfType<Condition>().Select(c => c with { ObservedGeneration = generation });
            var next = status with
            {
                ObservedGeneration = generation,
                Conditions = ConditionSet.Merge(Status.Conditions, computed, owner._time.GetUtcNow()),
            };
            Object = await StatusWriter.WriteIfChangedAsync(owner._client, ResourceType.Invalidations, Object, Stored, next, cancellationToken);
            Status = next;
            Stored = next;
        }
    }
}
