namespace EdgeFleet.Cache;

/// <summary>How the cache verifies an https origin (section <c>EdgeFleet:OriginTls</c>).</summary>
public sealed class OriginTlsOptions
{
    /// <summary>A PEM file of CA certificates to trust for the origin instead of the system's.</summary>
    public string? CaFile { get; set; }

    /// <summary>The name to expect in the origin's certificate (SNI), when it differs from the URL's host.</summary>
    public string? ServerName { get; set; }

    /// <summary>Accept any certificate. For trials only.</summary>
    public bool InsecureSkipVerify { get; set; }
}
