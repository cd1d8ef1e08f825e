namespace EdgeFleet.Api.V1Alpha1;

/// <summary>When a change is pushed to lease holders as an UPDATE rather than an INVALIDATE.</summary>
public sealed record OriginNotices
{
    public long UpdateMaxBytes { get; init; } = 1_048_576;

    public int UpdateMinRequestsPerMinute { get; init; } = 10;
}
