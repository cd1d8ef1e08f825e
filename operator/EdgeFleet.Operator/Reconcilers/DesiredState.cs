using System.Text.Json.Nodes;
using EdgeFleet.Kubernetes;
using EdgeFleet.Operator.Builders;

namespace EdgeFleet.Operator.Reconcilers;

/// <summary>Decides whether a live object already is what the builders want, so that no write is needed.</summary>
internal static class DesiredState
{
    /// <summary>
    /// True when <paramref name="live"/> carries the desired object's input hash (nothing the
    /// operator renders changed) and still holds every desired field with the desired value (nobody
    /// edited it since). Fields the API server or other controllers added are ignored.
    /// </summary>
    public static bool IsSatisfiedBy(JsonObject desired, JsonObject? live)
    {
        ArgumentNullException.ThrowIfNull(desired);
        if (live is null)
        {
            return false;
        }

        var hash = desired.Annotation(FleetLabels.InputHashAnnotation);
        return hash is not null && live.Annotation(FleetLabels.InputHashAnnotation) == hash && Contains(live, desired);
    }

    /// <summary>
    /// Whether <paramref name="live"/> holds <paramref name="wanted"/>: every wanted field present and
    /// equal, maps compared key by key, lists item by item (with the same length), so server defaults
    /// inside list items do not count as a difference.
    /// </summary>
    public static bool Contains(JsonNode? live, JsonNode? wanted) => (live, wanted) switch
    {
        (_, null) => true,
        (JsonObject l, JsonObject w) => w.All(p => l.TryGetPropertyValue(p.Key, out var value) && Contains(value, p.Value)),
        (JsonArray l, JsonArray w) => l.Count == w.Count && w.Select((item, i) => Contains(l[i], item)).All(x => x),
        (JsonValue, JsonValue) => JsonNode.DeepEquals(live, wanted),
        _ => false,
    };
}
