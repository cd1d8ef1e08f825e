namespace EdgeFleet.Kubernetes;

/// <summary>Query of a watch (API concepts, "Efficient detection of changes", "Watch bookmarks").</summary>
public sealed record WatchOptions
{
    /// <summary>Start after this version; null or "0" starts with ADDED events for every current object.</summary>
    public string? ResourceVersion { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Ask for BOOKMARK events, which advance the resume point without a change.</summary>
    public bool AllowBookmarks { get; init; } = true;

    /// <summary>The server ends the stream after this many seconds; the caller resumes.</summary>
    public int? TimeoutSeconds { get; init; }
}
