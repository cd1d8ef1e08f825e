using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeFleet.Api;

/// <summary>
/// The JSON conventions of the Kubernetes API: camelCase, case-sensitive names, absent rather than
/// null fields, and numbers only as JSON numbers (not the web defaults, which read "3" as 3).
/// </summary>
public static class EdgeFleetJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        WriteIndented = false,
    };
}
