namespace EdgeFleet.Api.V1Alpha1;

/// <summary>A Secret key holding the credential of the origin's change notifications.</summary>
public sealed record NotificationSecretReference
{
    public string Name { get; init; } = "";

    public string Key { get; init; } = "token";
}
