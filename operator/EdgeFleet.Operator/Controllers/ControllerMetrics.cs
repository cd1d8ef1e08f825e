using System.Diagnostics.Metrics;

namespace EdgeFleet.Operator.Controllers;

/// <summary>
/// The operator's instruments (meter <c>EdgeFleet.Operator</c>): reconciles by controller and result,
/// reconcile duration, and the depth of each controller's queue.
/// </summary>
internal sealed class ControllerMetrics : IDisposable
{
    public const string MeterName = "EdgeFleet.Operator";

    private readonly Meter _meter;
    private readonly Counter<long> _reconciles;
    private readonly Histogram<double> _duration;
    private readonly List<(string Controller, WorkQueue Queue)> _queues = [];
    private readonly Lock _lock = new();

    public ControllerMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _reconciles = _meter.CreateCounter<long>("edgefleet_operator_reconciles_total", description: "Reconciles by controller and result (success, requeue, error).");
        _duration = _meter.CreateHistogram<double>("edgefleet_operator_reconcile_duration_seconds", unit: "s", description: "Time one reconcile took.");
        _meter.CreateObservableGauge("edgefleet_operator_queue_depth", ObserveDepths, description: "Keys waiting in each controller's work queue.");
    }

    public void Track(string controller, WorkQueue queue)
    {
        lock (_lock)
        {
            _queues.Add((controller, queue));
        }
    }

    public void Untrack(WorkQueue queue)
    {
        lock (_lock)
        {
            _queues.RemoveAll(q => ReferenceEquals(q.Queue, queue));
        }
    }

    public void Reconciled(string controller, string result, TimeSpan elapsed)
    {
        _reconciles.Add(1, new("controller", controller), new("result", result));
        _duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("controller", controller));
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<int>> ObserveDepths()
    {
        lock (_lock)
        {
            return _queues.Select(q => new Measurement<int>(q.Queue.Depth, new KeyValuePair<string, object?>("controller", q.Controller))).ToList();
        }
    }
}
