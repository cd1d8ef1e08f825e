using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace EdgeFleet.Kubernetes.Testing;

/// <summary>
/// One open watch: its filter and the queue of lines its HTTP response writes. The store writes
/// into the queue under its lock, so events and bookmarks are queued in resourceVersion order.
/// </summary>
internal sealed class Watcher(ResourceRegistration registration, string? @namespace, Selector? labels, Selector? fields, bool bookmarks)
{
    public ResourceRegistration Registration { get; } = registration;

    public bool Bookmarks { get; } = bookmarks;

    public Channel<string> Lines { get; } = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public bool Matches(JsonObject obj)
    {
        if (!string.IsNullOrEmpty(@namespace) && obj.Namespace() != @namespace)
        {
            return false;
        }

        return (labels is null || labels.Matches(key => obj.Label(key)))
            && (fields is null || fields.Matches(path => FieldValue(obj, path)));
    }

    /// <summary>
    /// Queues a change as this watch sees it: a modification that moves an object into or out of
    /// the selector is an ADDED or DELETED for this watch (API concepts, "Efficient detection of changes").
    /// </summary>
    public void Deliver(HistoryEvent change)
    {
        if (change.StorageKey != Registration.StorageKey)
        {
            return;
        }

        var now = Matches(change.Object);
        var before = change.Previous is not null && Matches(change.Previous);
        WatchEventType? type = change.Type switch
        {
            WatchEventType.Modified when now && before => WatchEventType.Modified,
            WatchEventType.Modified when now => WatchEventType.Added,
            WatchEventType.Modified when before => WatchEventType.Deleted,
            WatchEventType.Added or WatchEventType.Deleted when now => change.Type,
            _ => null,
        };
        if (type is { } t)
        {
            Write(t, change.Object);
        }
    }

    public void Write(WatchEventType type, JsonObject obj) =>
        Lines.Writer.TryWrite(new JsonObject { ["type"] = WatchEvent.WireName(type), ["object"] = obj.DeepClone() }.ToJsonString());

    public static string? FieldValue(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var segment in path.Split('.'))
        {
            node = (node as JsonObject)?[segment];
        }

        return node is JsonValue value ? value.ToString() : null;
    }
}
