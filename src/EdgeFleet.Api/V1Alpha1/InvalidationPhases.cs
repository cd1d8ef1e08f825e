namespace EdgeFleet.Api.V1Alpha1;

/// <summary>The values of <see cref="InvalidationStatus.Phase"/>.</summary>
public static class InvalidationPhases
{
    public const string Pending = "Pending";
    public const string InProgress = "InProgress";
    public const string Complete = "Complete";
    public const string Failed = "Failed";
}
