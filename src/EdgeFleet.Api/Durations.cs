using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeFleet.Api;

/// <summary>
/// Go-style durations as the CRDs spell them (<c>90s</c>, <c>1m30s</c>, <c>1.5h</c>, <c>250ms</c>):
/// the form Kubernetes users know from every other manifest, and the form CEL's duration() reads.
/// </summary>
public static partial class Durations
{
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var value))
        {
            throw new FormatException($"\"{text}\" is not a duration such as 30s, 5m or 1h30m");
        }

        return value;
    }

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || !WholePattern().IsMatch(text))
        {
            return false;
        }

        decimal ticks = 0;
        foreach (Match part in PartPattern().Matches(text))
        {
            var number = decimal.Parse(part.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            var unit = part.Groups[2].Value switch
            {
                "h" => TimeSpan.TicksPerHour,
                "m" => TimeSpan.TicksPerMinute,
                "s" => TimeSpan.TicksPerSecond,
                _ => TimeSpan.TicksPerMillisecond,
            };
            ticks += number * unit;
            if (ticks > TimeSpan.MaxValue.Ticks)
            {
                return false;
            }
        }

        value = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    /// <summary>The constant ("c") TimeSpan format, which .NET configuration binding reads: <c>00:01:00</c>.</summary>
    public static string ToConfigurationString(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$", RegexOptions.CultureInvariant)]
    private static partial Regex WholePattern();

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex PartPattern();
}
