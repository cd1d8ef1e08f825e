using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeFleet.Api;

/// <summary>Reads and writes <see cref="IntOrString"/> as the JSON number or string it was.</summary>
public sealed class IntOrStringJsonConverter : JsonConverter<IntOrString>
{
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        return reader.TokenType switch
        {
            JsonTokenType.Number => IntOrString.FromInt(reader.GetInt64()),
            JsonTokenType.String => IntOrString.FromString(reader.GetString()!),
            _ => throw new JsonException($"expected an integer or a string, found {reader.TokenType}"),
        };
    }

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.Number is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(value.Text);
        }
    }
}
