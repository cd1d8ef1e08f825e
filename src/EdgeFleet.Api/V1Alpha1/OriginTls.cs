namespace EdgeFleet.Api.V1Alpha1;

/// <summary>TLS options towards an https origin.</summary>
public sealed record OriginTls
{
    public CaBundleSecretReference? CaSecretRef { get; init; }

    public bool InsecureSkipVerify { get; init; }

    public string? ServerName { get; init; }
}
