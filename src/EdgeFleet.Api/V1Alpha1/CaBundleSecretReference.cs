namespace EdgeFleet.Api.V1Alpha1;

/// <summary>A Secret key holding a PEM CA bundle.</summary>
public sealed record CaBundleSecretReference
{
    public string Name { get; init; } = "";

    public string Key { get; init; } = "ca.crt";
}
