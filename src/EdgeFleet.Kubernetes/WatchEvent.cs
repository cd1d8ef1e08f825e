using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeFleet.Kubernetes;

/// <summary>
/// One line of a watch stream. For <see cref="WatchEventType.Error"/>, <see cref="Resource"/> is a
/// Status (see <see cref="ToException"/>); for a bookmark only its resourceVersion is meaningful.
/// </summary>
public sealed record WatchEvent(WatchEventType Type, JsonObject Resource)
{
    public string? ResourceVersion => Resource.ResourceVersion();

    /// <summary>The server's Status as an exception (410 Expired for a too-old resourceVersion).</summary>
    public KubernetesException ToException() => KubernetesException.FromStatus(Resource);

    /// <summary>Parses one newline-delimited JSON event.</summary>
    public static WatchEvent Parse(string line)
    {
        var node = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("watch event is not a JSON object");
        var type = (string?)node["type"] switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => WatchEventType.Error,
            var other => throw new JsonException($"unknown watch event type '{other}'"),
        };
        var obj = node["object"] as JsonObject ?? throw new JsonException("watch event has no object");
        node.Remove("object");
        return new WatchEvent(type, obj);
    }

    /// <summary>The wire name of an event type.</summary>
    public static string WireName(WatchEventType type) => type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        WatchEventType.Deleted => "DELETED",
        WatchEventType.Bookmark => "BOOKMARK",
        _ => "ERROR",
    };
}
