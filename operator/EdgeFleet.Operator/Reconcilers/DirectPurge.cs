using EdgeFleet.Api;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Kubernetes;
using EdgeFleet.Operator.Controllers;
using static EdgeFleet.Operator.Reconcilers.InvalidationState;

namespace EdgeFleet.Operator.Reconcilers;

/// <summary>
/// The Invalidation path of an EdgeCache without shields: its edges fill straight from the origin
/// and hold no leases, so nobody would tell them of a change; every edge pod is purged directly
/// (<c>POST /admin/purge</c>). <c>targeted</c> counts the edge pods, <c>acknowledged</c> those that
/// answered 200. While some pod cannot be reached the Invalidation stays InProgress with Degraded
/// naming those pods and is retried with backoff, purging only the pods that have not answered yet;
/// a pod that refuses the purge (400, 401) fails it.
/// </summary>
internal sealed partial class DirectPurge(
    EdgePurgeClient client, IEdgeEndpoints endpoints, PurgeLedger ledger, EventRecorder events, ILogger logger)
{
    private const int MaxConcurrentPurges = 16;

    public async Task<ReconcileResult> RunAsync(InvalidationState state, EdgeCache edgeCache, string token, CancellationToken cancellationToken)
    {
        var pods = endpoints.Resolve(edgeCache);
        var uid = state.Invalidation.Metadata.Uid ?? state.Key;
        var purged = ledger.Purged(uid);
        var pending = pods.Where(p => !purged.Contains(p.Name)).ToList();
        var outcomes = new EdgePurgeOutcome[pending.Count];

        // A few at a time: a fleet may have hundreds of edge pods, and a down one costs a timeout per try.
        await Parallel.ForEachAsync(
            Enumerable.Range(0, pending.Count),
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentPurges, CancellationToken = cancellationToken },
            async (i, ct) => outcomes[i] = await client.PurgeAsync(pending[i], token, state.Invalidation.Spec, ct));
        foreach (var outcome in outcomes.Where(o => o.Result == EdgePurgeResult.Purged))
        {
            ledger.Record(uid, state.Key, outcome.Pod.Name);
        }

        var status = state.Status with
        {
            Phase = InvalidationPhases.InProgress,
            Targeted = pods.Count,
            Acknowledged = pods.Count(p => purged.Contains(p.Name)) + outcomes.Count(o => o.Result == EdgePurgeResult.Purged),
            StartTime = state.Status.StartTime ?? state.Now(),
        };

        if (outcomes.FirstOrDefault(o => o.Result == EdgePurgeResult.Rejected) is { } rejected)
        {
            ledger.Forget(state.Key);
            await state.WriteAsync(
                status with { Phase = InvalidationPhases.Failed },
                Ready(false, ConditionReasons.EdgeRejected, rejected.Detail), Degraded(false, ConditionReasons.AsExpected, "the edge pods answered"), cancellationToken);
            await events.RecordAsync(state.Object, EventRecorder.Warning, ConditionReasons.EdgeRejected, rejected.Detail, cancellationToken);
            return ReconcileResult.Done;
        }

        var unreachable = outcomes.Where(o => o.Result == EdgePurgeResult.Unreachable).ToList();
        if (unreachable.Count > 0)
        {
            var waiting = $"{status.Acknowledged} of {status.Targeted} edge pods purged (no shield tier)";
            var message = $"edge pods not reached, retrying: {string.Join("; ", unreachable.Select(o => o.Detail))}";
            LogUnreachable(logger, state.Key, message);
            await state.WriteAsync(
                status, Ready(false, ConditionReasons.AwaitingAcknowledgements, waiting), Degraded(true, ConditionReasons.EdgeUnreachable, message), cancellationToken);
            return ReconcileResult.RetryWithBackoff;
        }

        ledger.Forget(state.Key);
        var done = $"every edge pod ({pods.Count}) purged directly (no shield tier)";
        await state.WriteAsync(
            status with { Phase = InvalidationPhases.Complete, CompletionTime = state.Now() },
            Ready(true, ConditionReasons.InvalidationComplete, done), Degraded(false, ConditionReasons.AsExpected, "every edge pod answered"), cancellationToken);
        await events.RecordAsync(state.Object, EventRecorder.Normal, ConditionReasons.InvalidationComplete, done, cancellationToken);
        LogComplete(logger, state.Key, pods.Count);
        return ReconcileResult.Done;
    }

    /// <summary>Drops what is remembered of an Invalidation that was deleted before it finished.</summary>
    public void Forget(string key) => ledger.Forget(key);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Invalidation {Key}: {Error}")]
    private static partial void LogUnreachable(ILogger logger, string key, string error);

    [LoggerMessage(EventId = 504, Level = LogLevel.Information, Message = "Invalidation {Key}: purged directly on {Pods} edge pods (no shield tier)")]
    private static partial void LogComplete(ILogger logger, string key, int pods);
}
