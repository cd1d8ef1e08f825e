using System.Globalization;
using System.Text;

namespace EdgeFleet.Metrics;

/// <summary>
/// The lexical rules of the Prometheus text format 0.0.4: valid names, escaping and number syntax.
/// </summary>
internal static class PrometheusText
{
    /// <summary>
    /// Makes a metric family name valid (<c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>): every other character becomes
    /// <c>_</c>, and a leading digit gets a <c>_</c> in front.
    /// </summary>
    public static string SanitizeMetricName(string name) => Sanitize(name, allowColon: true);

    /// <summary>
    /// Makes a label name valid (<c>[a-zA-Z_][a-zA-Z0-9_]*</c>). Names starting with <c>__</c> are reserved
    /// for Prometheus itself, so the leading underscores collapse to one.
    /// </summary>
    public static string SanitizeLabelName(string name)
    {
        var sanitized = Sanitize(name, allowColon: false);
        if (sanitized.StartsWith("__", StringComparison.Ordinal))
        {
            sanitized = "_" + sanitized.TrimStart('_');
        }

        return sanitized;
    }

    /// <summary>Appends a label value with <c>\</c>, <c>"</c> and line feed escaped as the format requires.</summary>
    public static void AppendEscapedLabelValue(StringBuilder builder, string value) =>
        AppendEscaped(builder, value, inLabelValue: true);

    /// <summary>Appends HELP text with <c>\</c> and line feed escaped (quotes stay as they are in HELP).</summary>
    public static void AppendEscapedHelp(StringBuilder builder, string help) =>
        AppendEscaped(builder, help, inLabelValue: false);

    /// <summary>
    /// Appends a float the way Prometheus parses it: shortest round-trip digits, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.
    /// </summary>
    public static void AppendDouble(StringBuilder builder, double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            builder.Append("+Inf");
        }
        else if (double.IsNegativeInfinity(value))
        {
            builder.Append("-Inf");
        }
        else if (double.IsNaN(value))
        {
            builder.Append("NaN");
        }
        else
        {
            builder.Append(value.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Formats a tag value as label text: invariant culture, lowercase booleans, null as empty.</summary>
    public static string FormatTagValue(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static void AppendEscaped(StringBuilder builder, string text, bool inLabelValue)
    {
        foreach (var c in text)
        {
            _ = c switch
            {
                '\\' => builder.Append(@"\\"),
                '\n' => builder.Append(@"\n"),
                '"' when inLabelValue => builder.Append("\\\""),

                // HELP is one line; a bare carriage return would end it for some parsers.
                '\r' when !inLabelValue => builder.Append(' '),
                _ => builder.Append(c),
            };
        }
    }

    private static string Sanitize(string name, bool allowColon)
    {
        if (name.Length == 0)
        {
            return "_";
        }

        var valid = true;
        for (var i = 0; i < name.Length; i++)
        {
            if (!IsValid(name[i], i == 0, allowColon))
            {
                valid = false;
                break;
            }
        }

        if (valid)
        {
            return name;
        }

        var builder = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0]))
        {
            builder.Append('_');
        }

        foreach (var c in name)
        {
            builder.Append(IsValid(c, first: false, allowColon) ? c : '_');
        }

        return builder.ToString();
    }

    private static bool IsValid(char c, bool first, bool allowColon) =>
        char.IsAsciiLetter(c) || c == '_' || (allowColon && c == ':') || (!first && char.IsAsciiDigit(c));
}
