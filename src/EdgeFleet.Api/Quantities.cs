using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeFleet.Api;

/// <summary>Kubernetes resource quantities of bytes (<c>512Mi</c>, <c>2Gi</c>, <c>1.5G</c>, <c>1000</c>).</summary>
public static partial class Quantities
{
    public static long ParseBytes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            throw new FormatException($"\"{text}\" is not a quantity of bytes such as 512Mi or 2Gi");
        }

        var number = decimal.Parse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        decimal multiplier = match.Groups[2].Value switch
        {
            "" => 1m,
            "Ki" => 1024m,
            "Mi" => 1024m * 1024,
            "Gi" => 1024m * 1024 * 1024,
            "Ti" => 1024m * 1024 * 1024 * 1024,
            "Pi" => 1024m * 1024 * 1024 * 1024 * 1024,
            "Ei" => 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
            "k" => 1e3m,
            "M" => 1e6m,
            "G" => 1e9m,
            "T" => 1e12m,
            "P" => 1e15m,
            _ => 1e18m,
        };
        var bytes = decimal.Ceiling(number * multiplier);
        if (bytes > long.MaxValue)
        {
            throw new FormatException($"\"{text}\" is too large");
        }

        return (long)bytes;
    }

    /// <summary>Bytes as a quantity in whole mebibytes, rounded up: <c>1280Mi</c>.</summary>
    public static string ToMebibytes(long bytes)
    {
        var mebibytes = (bytes + (1024 * 1024) - 1) / (1024 * 1024);
        return mebibytes.ToString(CultureInfo.InvariantCulture) + "Mi";
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
