namespace EdgeFleet.Api.V1Alpha1;

/// <summary>The desired behaviour towards the origin. Defaults here equal the CRD's defaults.</summary>
public sealed record OriginSpec
{
    /// <summary>Base URL, http or https.</summary>
    public string Url { get; init; } = "";

    /// <summary>Host header sent to the origin; the URL's host when null.</summary>
    public string? HostHeader { get; init; }

    public OriginTls? Tls { get; init; }

    public OriginTimeouts Timeouts { get; init; } = new();

    public OriginHealthCheck HealthCheck { get; init; } = new();

    /// <summary>Freshness lifetime when the origin sends none (Go duration).</summary>
    public string DefaultTtl { get; init; } = "0s";

    /// <summary>How long a shield promises to notify an edge of a change (Go duration).</summary>
    public string LeaseDuration { get; init; } = "60s";

    public OriginNotices Notices { get; init; } = new();

    public AdaptivePolling AdaptivePolling { get; init; } = new();

    /// <summary>Cache-Control sent downstream by content type; the first match wins.</summary>
    public IReadOnlyList<DownstreamPolicy>? Downstream { get; init; }

    /// <summary>Credential the origin presents with its change notifications.</summary>
    public NotificationSecretReference? NotificationSecretRef { get; init; }
}
