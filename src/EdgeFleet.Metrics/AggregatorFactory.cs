using System.Diagnostics.Metrics;
using System.Globalization;

namespace EdgeFleet.Metrics;

/// <summary>Chooses how an instrument is aggregated and exposed, from its type, unit, name and advice.</summary>
internal static class AggregatorFactory
{
    /// <summary>The aggregator for <paramref name="instrument"/>, or null for an instrument type it does not know.</summary>
    public static InstrumentAggregator? Create(Instrument instrument, PrometheusExporterOptions options, long order)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        var constantTags = ConstantTags(instrument);
        var max = options.MaxSeriesPerInstrument;
        if (definition == typeof(Counter<>))
        {
            return new SumAggregator(instrument, monotonic: true, order, constantTags, max);
        }

        if (definition == typeof(UpDownCounter<>))
        {
            return new SumAggregator(instrument, monotonic: false, order, constantTags, max);
        }

        if (definition == typeof(Histogram<>))
        {
            return new HistogramAggregator(instrument, Boundaries(instrument, options), order, constantTags, max);
        }

        if (definition == typeof(ObservableCounter<>))
        {
            return new LastValueAggregator(instrument, MetricKind.Counter, order, constantTags, max);
        }

        if (definition == typeof(Gauge<>) || definition == typeof(ObservableGauge<>) ||
            definition == typeof(ObservableUpDownCounter<>))
        {
            return new LastValueAggregator(instrument, MetricKind.Gauge, order, constantTags, max);
        }

        return null;
    }

    /// <summary>
    /// The advice's boundaries when the instrument gives usable ones, else the defaults for its unit. Unusable
    /// means not strictly increasing or not finite; a trailing +Inf is dropped since the format adds its own.
    /// </summary>
    internal static double[] Boundaries(Instrument instrument, PrometheusExporterOptions options)
    {
        var advice = instrument switch
        {
            Instrument<byte> i => FromAdvice(i),
            Instrument<short> i => FromAdvice(i),
            Instrument<int> i => FromAdvice(i),
            Instrument<long> i => FromAdvice(i),
            Instrument<float> i => FromAdvice(i),
            Instrument<double> i => FromAdvice(i),
            Instrument<decimal> i => FromAdvice(i),
            _ => null,
        };
        if (advice is not null && advice.Count > 0 && double.IsPositiveInfinity(advice[^1]))
        {
            advice.RemoveAt(advice.Count - 1);
        }

        if (advice is not null && advice.Count > 0 && IsUsable(advice))
        {
            return [.. advice];
        }

        var name = instrument.Name;
        if (instrument.Unit == "s" || name.EndsWith("_seconds", StringComparison.Ordinal))
        {
            return [.. options.SecondsBuckets];
        }

        if (instrument.Unit == "By" || name.EndsWith("_bytes", StringComparison.Ordinal))
        {
            return [.. options.BytesBuckets];
        }

        return [.. options.DefaultBuckets];
    }

    private static List<double>? FromAdvice<T>(Instrument<T> instrument)
        where T : struct =>
        instrument.Advice?.HistogramBucketBoundaries?
            .Select(b => Convert.ToDouble(b, CultureInfo.InvariantCulture))
            .ToList();

    private static bool IsUsable(List<double> bounds)
    {
        for (var i = 0; i < bounds.Count; i++)
        {
            if (!double.IsFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
            {
                return false;
            }
        }

        return true;
    }

    // Instrument tags win over meter tags of the same key: the instrument is the narrower scope.
    private static List<KeyValuePair<string, object?>> ConstantTags(Instrument instrument)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in (instrument.Tags ?? []).Concat(instrument.Meter.Tags ?? []))
        {
            if (!tags.Exists(t => string.Equals(t.Key, tag.Key, StringComparison.Ordinal)))
            {
                tags.Add(tag);
            }
        }

        return tags;
    }
}
