using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace EdgeFleet.Operator.Builders;

/// <summary>
/// SHA-256 over the canonical JSON of some inputs (object keys sorted by ordinal, no whitespace), so
/// that equal inputs give equal hashes whatever order their fields were written in.
/// </summary>
internal static class ConfigHash
{
    public static string Compute(params JsonNode?[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var canonical = new JsonArray(inputs.Select(Canonical).ToArray()).ToJsonString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Canonical).ToArray()),
        _ => node?.DeepClone(),
    };
}
