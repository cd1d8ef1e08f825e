using EdgeFleet.Api;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Kubernetes;
using EdgeFleet.Operator.Controllers;
using static EdgeFleet.Operator.Reconcilers.InvalidationState;

namespace EdgeFleet.Operator.Reconcilers;

/// <summary>
/// The Invalidation path of an EdgeCache with shields: hands it to the shield tier, then follows it
/// (InProgress with the shield's id recorded → Complete), copying the shield's counts of lease holders
/// targeted, acknowledged and expired into the status as it polls. An unreachable shield tier sets
/// Degraded and is retried with backoff; a refused invalidation fails.
/// </summary>
internal sealed partial class ShieldHandoff(
    ShieldAdminClient shield, IShieldEndpoints endpoints, TimeSpan pollInterval, EventRecorder events, ILogger logger)
{
    public async Task<ReconcileResult> RunAsync(InvalidationState state, EdgeCache edgeCache, string token, CancellationToken cancellationToken)
    {
        var shields = endpoints.Resolve(edgeCache);
        try
        {
            return state.Status.ShieldInvalidationIds is [var id, ..]
                ? await FollowAsync(state, shields, token, id, cancellationToken)
                : await StartAsync(state, shields, token, cancellationToken);
        }
        catch (ShieldUnavailableException e)
        {
            LogShieldUnavailable(logger, state.Key, e.Message);
            await state.WriteAsync(state.Status, null, Degraded(true, ConditionReasons.ShieldUnreachable, e.Message), cancellationToken);
            return ReconcileResult.RetryWithBackoff;
        }
        catch (ShieldRejectedException e)
        {
            await state.WriteAsync(state.Status with { Phase = InvalidationPhases.Failed }, Ready(false, ConditionReasons.ShieldRejected, e.Message), Degraded(false, ConditionReasons.AsExpected, "the shield tier answered"), cancellationToken);
            await events.RecordAsync(state.Object, EventRecorder.Warning, ConditionReasons.ShieldRejected, e.Message, cancellationToken);
            return ReconcileResult.Done;
        }
    }

    private async Task<ReconcileResult> StartAsync(InvalidationState state, IReadOnlyList<Uri> shields, string token, CancellationToken cancellationToken)
    {
        var id = await shield.StartAsync(shields, token, state.Invalidation.Spec, cancellationToken);
        LogStarted(logger, state.Key, id);
        var status = state.Status with
        {
            Phase = InvalidationPhases.InProgress,
            ShieldInvalidationIds = [id],
            StartTime = state.Status.StartTime ?? state.Now(),
        };
        await state.WriteAsync(status, Ready(false, ConditionReasons.AwaitingAcknowledgements, "handed to the shield tier; waiting for lease holders"), Healthy(), cancellationToken);
        return ReconcileResult.After(pollInterval);
    }

    private async Task<ReconcileResult> FollowAsync(InvalidationState state, IReadOnlyList<Uri> shields, string token, string id, CancellationToken cancellationToken)
    {
        var progress = await shield.GetProgressAsync(shields, token, id, cancellationToken);
        if (progress is null)
        {
            // Every shield forgot the id (restarted): sending it again is safe, an invalidation is idempotent.
            LogForgotten(logger, state.Key, id);
            state.Status = state.Status with { ShieldInvalidationIds = [] };
            return await StartAsync(state, shields, token, cancellationToken);
        }

        var counts = state.Status with { Targeted = progress.Targeted, Acknowledged = progress.Acknowledged, Expired = progress.Expired };
        if (!progress.Complete)
        {
            var waiting = $"{progress.Acknowledged} of {progress.Targeted} lease holders acknowledged, {progress.Expired} leases expired";
            await state.WriteAsync(counts, Ready(false, ConditionReasons.AwaitingAcknowledgements, waiting), Healthy(), cancellationToken);
            return ReconcileResult.After(pollInterval);
        }

        var done = $"every lease holder acknowledged ({progress.Acknowledged}) or its lease expired ({progress.Expired}) of {progress.Targeted} targeted";
        await state.WriteAsync(
            counts with { Phase = InvalidationPhases.Complete, CompletionTime = state.Now() },
            Ready(true, ConditionReasons.InvalidationComplete, done), Healthy(), cancellationToken);
        await events.RecordAsync(state.Object, EventRecorder.Normal, ConditionReasons.InvalidationComplete, done, cancellationToken);
        return ReconcileResult.Done;
    }

    private static Condition Healthy() => Degraded(false, ConditionReasons.AsExpected, "the shield tier answered");

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Invalidation {Key} handed to the shield tier as {Id}")]
    private static partial void LogStarted(ILogger logger, string key, string id);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Invalidation {Key}: shield tier unavailable: {Error}; retrying with backoff")]
    private static partial void LogShieldUnavailable(ILogger logger, string key, string error);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Invalidation {Key}: no shield knows id {Id}; sending it again")]
    private static partial void LogForgotten(ILogger logger, string key, string id);
}
