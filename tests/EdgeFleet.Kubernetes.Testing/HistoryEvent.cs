using System.Text.Json.Nodes;

namespace EdgeFleet.Kubernetes.Testing;

/// <summary>A change in the double's event history: what a watch from an older resourceVersion replays.</summary>
internal sealed record HistoryEvent(long ResourceVersion, string StorageKey, WatchEventType Type, JsonObject Object, JsonObject? Previous);
