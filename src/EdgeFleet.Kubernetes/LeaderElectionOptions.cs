namespace EdgeFleet.Kubernetes;

/// <summary>
/// Timing of leader election on a Lease, with client-go's defaults. A new leader can take over
/// <see cref="LeaseDuration"/> after the last renewal it saw; the old leader gives up after
/// <see cref="RenewDeadline"/> without a successful renewal, which must be shorter so that two
/// leaders never run at once.
/// </summary>
public sealed record LeaderElectionOptions
{
    public required string LeaseNamespace { get; init; }

    public required string LeaseName { get; init; }

    /// <summary>This candidate's identity, usually the pod name; unique among candidates.</summary>
    public required string Identity { get; init; }

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Interval between tries to acquire or renew.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>On cancellation, clear the holder so a successor need not wait out the lease.</summary>
    public bool ReleaseOnCancel { get; init; } = true;
}
