using System.Text.Json.Nodes;

namespace EdgeFleet.Kubernetes;

/// <summary>
/// One page of a list: its items, the collection's resourceVersion (where a watch starts) and the
/// continue token (null on the last page).
/// </summary>
public sealed record ResourceList(IReadOnlyList<JsonObject> Items, string ResourceVersion, string? Continue);
