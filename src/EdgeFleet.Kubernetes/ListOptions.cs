namespace EdgeFleet.Kubernetes;

/// <summary>Query of a list call (API concepts, "Retrieving large results sets in chunks").</summary>
public sealed record ListOptions
{
    /// <summary>e.g. <c>app.kubernetes.io/managed-by=edgefleet,tier in (edge,shield)</c>.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>e.g. <c>metadata.name=web</c>.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>Page size; the response carries a continue token when more remain.</summary>
    public int? Limit { get; init; }

    /// <summary>The continue token of the previous page.</summary>
    public string? Continue { get; init; }

    /// <summary>Semantics of a list with a resourceVersion: "0" lets the server answer from cache.</summary>
    public string? ResourceVersion { get; init; }
}
