
namespace EdgeFleet.Operator.Controllers;

/// <summary>
/// Runs one <see cref="IReconciler"/> over its <see cref="WorkQueue"/>: workers take keys, reconcile,
/// and requeue as the result asks (after a delay, or with backoff on failure); a timer re-adds every
/// known key each resync period, so a change missed for any reason is caught up.
/// </summary>
internal sealed partial class Controller
{
    private readonly IReconciler _reconciler;
    private readonly WorkQueue _queue;
    private readonly Func<IEnumerable<string>> _allKeys;
    private readonly ControllerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public Controller(
        IReconciler reconciler, WorkQueue queue, Func<IEnumerable<string>> allKeys, ControllerMetrics metrics, TimeProvider time, ILogger logger)
    {
        _reconciler = reconciler;
        _queue = queue;
        _allKeys = allKeys;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public string Name => _reconciler.Name;

    public WorkQueue Queue => _queue;

    public async Task RunAsync(int workers, TimeSpan resyncPeriod, CancellationToken cancellationToken)
    {
        _metrics.Track(Name, _queue);
        try
        {
            var tasks = Enumerable.Range(0, Math.Max(1, workers)).Select(_ => WorkAsync(cancellationToken)).ToList();
            tasks.Add(ResyncAsync(resyncPeriod, cancellationToken));
            await Task.WhenAll(tasks);
        }
        finally
        {
            _metrics.Untrack(_queue);
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string key;
            try
            {
                key = await _queue.TakeAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await ProcessAsync(key, cancellationToken);
        }
    }

    private async Task ProcessAsync(string key, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var (ns, name) = Split(key);
        string outcome;
        try
        {
            var result = await _reconciler.ReconcileAsync(ns, name, cancellationToken);
            if (result.Backoff)
            {
                outcome = "requeue";
                _queue.AddRateLimited(key);
            }
            else
            {
                outcome = result.RequeueAfter is null ? "success" : "requeue";
                _queue.Forget(key);
                if (result.RequeueAfter is { } after)
                {
                    _queue.AddAfter(key, after);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _queue.Done(key);
            return;
        }
        catch (Exception e)
        {
            // Any failure is retried with backoff: a reconcile must never take the operator down.
            outcome = "error";
            LogFailed(_logger, Name, key, e.Message, e);
            _queue.AddRateLimited(key);
        }

        _queue.Done(key);
        _metrics.Reconciled(Name, outcome, _time.GetElapsedTime(started));
    }

    private async Task ResyncAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        if (period <= TimeSpan.Zero)
        {
            return;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            foreach (var key in _allKeys())
            {
                _queue.Add(key);
            }
        }
    }

    private static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", key) : (key[..slash], key[(slash + 1)..]);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "Reconcile of {Controller} {Key} failed: {Error}; retrying with backoff")]
    private static partial void LogFailed(ILogger logger, string controller, string key, string error, Exception exception);
}
