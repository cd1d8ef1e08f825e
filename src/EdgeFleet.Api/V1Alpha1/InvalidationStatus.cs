namespace EdgeFleet.Api.V1Alpha1;

/// <summary>
/// Progress of an invalidation, from the shield tier's reports, or, for an EdgeCache without
/// shields, from the edge pods the operator purged directly.
/// </summary>
public sealed record InvalidationStatus : ResourceStatus
{
    public string? Phase { get; init; }

    /// <summary>Lease holders the notice was sent to; without shields, the edge pods purged directly.</summary>
    public long? Targeted { get; init; }

    /// <summary>Holders that acknowledged it; without shields, edge pods that answered the purge.</summary>
    public long? Acknowledged { get; init; }

    /// <summary>Holders whose lease expired before they acknowledged.</summary>
    public long? Expired { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? CompletionTime { get; init; }

    public IReadOnlyList<string>? ShieldInvalidationIds { get; init; }
}
