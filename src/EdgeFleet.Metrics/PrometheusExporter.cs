using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace EdgeFleet.Metrics;

/// <summary>
/// Exposes <see cref="System.Diagnostics.Metrics"/> instruments in the Prometheus text format 0.0.4.
/// </summary>
/// <remarks>
/// <para>
/// A <see cref="MeterListener"/> subscribes to every instrument whose meter name starts with
/// <see cref="PrometheusExporterOptions.MeterNamePrefix"/> and aggregates its measurements in memory;
/// a scrape (<see cref="WriteTo(TextWriter)"/> and its overloads) reads the observable instruments and
/// writes everything. The host maps the output to <c>/metrics</c> with <see cref="ContentType"/>.
/// </para>
/// <para>Mapping from instruments to metric families:</para>
/// <list type="bullet">
/// <item>The instrument name is the family name, for example <c>edgefleet_cache_requests_total</c>;
/// characters outside <c>[a-zA-Z0-9_:]</c> become <c>_</c>. Counters whose name lacks <c>_total</c> get it.</item>
/// <item><c>Counter</c> and <c>ObservableCounter</c> are counters; <c>UpDownCounter</c>, <c>Gauge</c>,
/// <c>ObservableUpDownCounter</c> and <c>ObservableGauge</c> are gauges; <c>Histogram</c> is a histogram with
/// explicit buckets from <c>InstrumentAdvice.HistogramBucketBoundaries</c>, or defaults chosen by unit
/// (<see cref="PrometheusExporterOptions.SecondsBuckets"/>, <see cref="PrometheusExporterOptions.BytesBuckets"/>).</item>
/// <item>The description is the <c># HELP</c> text; measurement tags, instrument tags and meter tags are
/// labels (in that order of precedence), with label names sanitized and values escaped.</item>
/// <item>Synchronous instruments keep their series after their meter is disposed: a Prometheus counter
/// must not go backwards while the process lives. Observable instruments leave with their meter.</item>
/// </list>
/// <para>
/// Recording is lock-free: each (instrument, tag set) series is found in a concurrent dictionary searched
/// with the measurement's tag span (no allocation for a tag set seen before, in any tag order) and updated
/// with interlocked operations. Scrapes are serialized with each other but never block recording.
/// </para>
/// </remarks>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>The HTTP <c>Content-Type</c> of the output: Prometheus text format 0.0.4.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly PrometheusExporterOptions _options;
    private readonly ConcurrentDictionary<Instrument, InstrumentAggregator> _aggregators = new();
    private readonly Lock _scrapeLock = new();
    private readonly MeterListener _listener;
    private long _published;

    /// <summary>Starts listening at once; instruments created before and after are both exported.</summary>
    public PrometheusExporter(PrometheusExporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.MeterNamePrefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxSeriesPerInstrument, 1);
        _options = options;
        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = OnMeasurementsCompleted,
        };

        // The state passed to EnableMeasurementEvents is the instrument's aggregator, so the hot path
        // needs no lookup by instrument.
        _listener.SetMeasurementEventCallback<byte>(static (_, m, t, s) => ((InstrumentAggregator)s!).Record((long)m, t));
        _listener.SetMeasurementEventCallback<short>(static (_, m, t, s) => ((InstrumentAggregator)s!).Record((long)m, t));
        _listener.SetMeasurementEventCallback<int>(static (_, m, t, s) => ((InstrumentAggregator)s!).Record((long)m, t));
        _listener.SetMeasurementEventCallback<long>(static (_, m, t, s) => ((InstrumentAggregator)s!).Record(m, t));
        _listener.SetMeasurementEventCallback<float>(static (_, m, t, s) => ((InstrumentAggregator)s!).Record((double)m, t));
        _listener.SetMeasurementEventCallback<double>(static (_, m, t, s) => ((InstrumentAggregator)s!).Record(m, t));
        _listener.SetMeasurementEventCallback<decimal>(static (_, m, t, s) => ((InstrumentAggregator)s!).Record((double)m, t));
        _listener.Start();
    }

    /// <summary>Writes the current exposition to <paramref name="writer"/>.</summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Render());
    }

    /// <summary>
    /// Writes the current exposition as UTF-8 to <paramref name="writer"/> (for example an ASP.NET Core
    /// <c>Response.BodyWriter</c>; the caller flushes it).
    /// </summary>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Utf8.GetBytes(Render().AsSpan(), writer);
    }

    /// <summary>Writes the current exposition as UTF-8 to <paramref name="stream"/>.</summary>
    public async Task WriteToAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var bytes = Utf8.GetBytes(Render());
        await stream.WriteAsync(bytes, cancellationToken);
    }

    /// <summary>Stops listening; measurements after this are not recorded.</summary>
    public void Dispose() => _listener.Dispose();

    private string Render()
    {
        lock (_scrapeLock)
        {
            foreach (var aggregator in _aggregators.Values)
            {
                aggregator.BeginCollect();
            }

            try
            {
                _listener.RecordObservableInstruments();
            }
            catch (AggregateException e)
            {
                // MeterListener reads every callback and then throws what the failing ones threw; the
                // others' values are recorded and still worth exposing.
                _options.ObservableCallbackFailed?.Invoke(e);
            }

            var builder = new StringBuilder(4096);
            ExpositionFormatter.Append(builder, _aggregators.Values);
            return builder.ToString();
        }
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!instrument.Meter.Name.StartsWith(_options.MeterNamePrefix, StringComparison.Ordinal) ||
            (_options.MeterScope is { } scope && !ReferenceEquals(instrument.Meter.Scope, scope)))
        {
            return;
        }

        var aggregator = AggregatorFactory.Create(instrument, _options, Interlocked.Increment(ref _published));
        if (aggregator is null)
        {
            return;
        }

        _aggregators[instrument] = aggregator;
        listener.EnableMeasurementEvents(instrument, aggregator);
    }

    private void OnMeasurementsCompleted(Instrument instrument, object? state)
    {
        // An observable instrument can no longer be read once its meter is gone; a synchronous one keeps
        // its totals (see the remarks on the type).
        if (instrument.IsObservable)
        {
            _aggregators.TryRemove(instrument, out _);
        }
    }
}
