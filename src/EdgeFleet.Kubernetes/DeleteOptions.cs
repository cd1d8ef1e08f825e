namespace EdgeFleet.Kubernetes;

/// <summary>Body of a delete: what happens to dependents, and preconditions the object must meet.</summary>
public sealed record DeleteOptions
{
    /// <summary><c>Background</c>, <c>Foreground</c> or <c>Orphan</c>; the server's default when null.</summary>
    public string? PropagationPolicy { get; init; }

    /// <summary>Delete only if the object still has this uid (not a re-created namesake).</summary>
    public string? PreconditionUid { get; init; }

    /// <summary>Delete only if the object is still at this resourceVersion.</summary>
    public string? PreconditionResourceVersion { get; init; }

    public long? GracePeriodSeconds { get; init; }
}
