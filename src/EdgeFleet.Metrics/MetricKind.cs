namespace EdgeFleet.Metrics;

/// <summary>The Prometheus metric type a family is exposed as (<c># TYPE</c>).</summary>
internal enum MetricKind
{
    /// <summary>A monotonic total: <c>Counter&lt;T&gt;</c> and <c>ObservableCounter&lt;T&gt;</c>.</summary>
    Counter,

    /// <summary>A value that goes up and down: up/down counters and gauges, synchronous or observable.</summary>
    Gauge,

    /// <summary>A distribution in explicit buckets: <c>Histogram&lt;T&gt;</c>.</summary>
    Histogram,
}
