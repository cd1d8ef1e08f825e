using System.Globalization;
using System.Text.Json.Serialization;

namespace EdgeFleet.Api;

/// <summary>
/// A Kubernetes int-or-string value (quantities such as <c>cpu: 1</c> or <c>memory: 2Gi</c>,
/// <c>maxUnavailable: 1</c> or <c>25%</c>), kept as written.
/// </summary>
[JsonConverter(typeof(IntOrStringJsonConverter))]
public readonly record struct IntOrString
{
    private IntOrString(long? number, string? text)
    {
        Number = number;
        Text = text;
    }

    /// <summary>The integer, when the value was written as a JSON number.</summary>
    public long? Number { get; }

    /// <summary>The string, when the value was written as a JSON string.</summary>
    public string? Text { get; }

    public static IntOrString FromInt(long value) => new(value, null);

    public static IntOrString FromString(string value) => new(null, value);

    public override string ToString() => Number?.ToString(CultureInfo.InvariantCulture) ?? Text ?? "";
}
