using System.Text;

namespace EdgeFleet.Metrics;

/// <summary>
/// Writes aggregated instruments as Prometheus text format 0.0.4: families sorted by name, series sorted by
/// label text, one <c># HELP</c> and one <c># TYPE</c> line per family.
/// </summary>
internal static class ExpositionFormatter
{
    public static void Append(StringBuilder builder, IEnumerable<InstrumentAggregator> aggregators)
    {
        var scratch = new List<SeriesSnapshot>();
        var families = aggregators
            .GroupBy(a => a.FamilyName, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var family in families)
        {
            AppendFamily(builder, family.Key, [.. family.OrderBy(a => a.Order)], scratch);
        }
    }

    /// <summary>
    /// Several instruments can share a family name (the same meter created twice, or two meters naming an
    /// instrument alike). Their series are merged; an instrument whose kind or buckets differ from the first
    /// one's cannot be merged into valid output and is left out.
    /// </summary>
    private static void AppendFamily(
        StringBuilder builder, string name, List<InstrumentAggregator> members, List<SeriesSnapshot> scratch)
    {
        var first = members[0];
        var series = new SortedDictionary<string, SeriesSnapshot>(StringComparer.Ordinal);
        string? help = null;
        foreach (var member in members)
        {
            if (member.Kind != first.Kind || !member.Boundaries.SequenceEqual(first.Boundaries))
            {
                continue;
            }

            help ??= string.IsNullOrWhiteSpace(member.Instrument.Description) ? null : member.Instrument.Description;
            scratch.Clear();
            member.Collect(scratch);
            foreach (var snapshot in scratch)
            {
                series[snapshot.Labels] = series.TryGetValue(snapshot.Labels, out var earlier)
                    ? earlier.Merge(snapshot, first.Kind)
                    : snapshot;
            }
        }

        if (series.Count == 0)
        {
            return;
        }

        if (help is not null)
        {
            builder.Append("# HELP ").Append(name).Append(' ');
            PrometheusText.AppendEscapedHelp(builder, help);
            builder.Append('\n');
        }

        builder.Append("# TYPE ").Append(name).Append(' ').Append(TypeName(first.Kind)).Append('\n');
        foreach (var snapshot in series.Values)
        {
            if (first.Kind == MetricKind.Histogram)
            {
                AppendHistogram(builder, name, first.Boundaries, snapshot);
            }
            else
            {
                AppendSample(builder, name, snapshot.Labels, null);
                AppendValue(builder, snapshot.LongValue, snapshot.DoubleValue);
            }
        }
    }

    private static void AppendHistogram(
        StringBuilder builder, string name, IReadOnlyList<double> boundaries, SeriesSnapshot snapshot)
    {
        var counts = snapshot.BucketCounts!;
        var bucket = name + "_bucket";
        long cumulative = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            cumulative += counts[i];
            AppendSample(builder, bucket, snapshot.Labels, i < boundaries.Count ? boundaries[i] : double.PositiveInfinity);
            builder.Append(cumulative).Append('\n');
        }

        AppendSample(builder, name + "_sum", snapshot.Labels, null);
        AppendValue(builder, snapshot.LongValue, snapshot.DoubleValue);
        AppendSample(builder, name + "_count", snapshot.Labels, null);
        builder.Append(cumulative).Append('\n');
    }

    /// <summary>Appends <c>name{labels,le="bound"} </c>, leaving out braces when there are no labels.</summary>
    private static void AppendSample(StringBuilder builder, string name, string labels, double? le)
    {
        builder.Append(name);
        if (labels.Length > 0 || le is not null)
        {
            builder.Append('{').Append(labels);
            if (le is { } bound)
            {
                builder.Append(labels.Length > 0 ? ",le=\"" : "le=\"");
                PrometheusText.AppendDouble(builder, bound);
                builder.Append('"');
            }

            builder.Append('}');
        }

        builder.Append(' ');
    }

    // Integer measurements print exactly; a floating-point part, when there is one, is added at the end.
    private static void AppendValue(StringBuilder builder, long longValue, double doubleValue)
    {
        if (doubleValue == 0)
        {
            builder.Append(longValue);
        }
        else
        {
            PrometheusText.AppendDouble(builder, longValue + doubleValue);
        }

        builder.Append('\n');
    }

    private static string TypeName(MetricKind kind) => kind switch
    {
        MetricKind.Counter => "counter",
        MetricKind.Histogram => "histogram",
        _ => "gauge",
    };
}
