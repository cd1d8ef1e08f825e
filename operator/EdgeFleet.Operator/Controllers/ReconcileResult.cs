namespace EdgeFleet.Operator.Controllers;

/// <summary>
/// What a reconcile asks of its work queue: nothing more (done until the next change), a look again
/// after a delay (polling, a rollout waiting on pods), or a retry with the queue's growing backoff
/// (a dependency is unreachable). An exception also retries with backoff, and is logged as an error.
/// </summary>
internal readonly record struct ReconcileResult(TimeSpan? RequeueAfter, bool Backoff)
{
    public static ReconcileResult Done => default;

    public static ReconcileResult After(TimeSpan delay) => new(delay, false);

    public static ReconcileResult RetryWithBackoff => new(null, true);
}
