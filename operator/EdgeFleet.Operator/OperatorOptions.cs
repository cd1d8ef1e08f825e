namespace EdgeFleet.Operator;

/// <summary>
/// The operator's settings, bound from the configuration section <c>Operator</c> (command-line flags,
/// <c>EDGEFLEET_OPERATOR__*</c>-style environment variables as <c>Operator__*</c>, appsettings.json).
/// </summary>
internal sealed class OperatorOptions
{
    public const string Section = "Operator";

    /// <summary>Path of a kubeconfig; empty uses KUBECONFIG, ~/.kube/config, then the pod's service account.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>kubeconfig context; empty uses the current context.</summary>
    public string? Context { get; set; }

    /// <summary>The one namespace to watch; empty watches all namespaces.</summary>
    public string? Namespace { get; set; }

    /// <summary>Where /metrics, /healthz and /readyz are served.</summary>
    public string MetricsListen { get; set; } = "http://0.0.0.0:8080";

    /// <summary>Whether to campaign for a Lease before reconciling; off only for a single replica or tests.</summary>
    public bool LeaderElection { get; set; } = true;

    /// <summary>Namespace of the leader election Lease; empty uses the client's namespace (the pod's, in a cluster).</summary>
    public string? LeaderElectionNamespace { get; set; }

    public string LeaderElectionId { get; set; } = "edgefleet-operator";

    /// <summary>This replica's name in the Lease; empty uses POD_NAME, then the host name.</summary>
    public string? Identity { get; set; }

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan LeaderElectionRetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Every object is reconciled at least this often, changed or not.</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Concurrent reconciles per controller (never two for the same object).</summary>
    public int Workers { get; set; } = 2;

    /// <summary>First delay of the per-object backoff after a failure; doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a rollout waiting for a region's pods, or an invalidation in progress, is looked at again.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Limit of one request to a shield pod's admin API (or, with no shield tier, an edge pod's purge).</summary>
    public TimeSpan ShieldTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First backoff between tries of the shield pods (or of an edge pod's purge); doubles with each try.</summary>
    public TimeSpan ShieldRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Cache server image for an EdgeCache that names none.</summary>
    public string DefaultImage { get; set; } = "ghcr.io/edgefleet/edgefleet-cache:0.1.0";

    /// <summary>The identity to use: the configured one, else POD_NAME, else the host name.</summary>
    public string ResolveIdentity(Func<string, string?> environment) =>
        !string.IsNullOrWhiteSpace(Identity) ? Identity
        : environment("POD_NAME") is { Length: > 0 } pod ? pod
        : Environment.MachineName;
}
