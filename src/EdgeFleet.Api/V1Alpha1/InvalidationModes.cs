namespace EdgeFleet.Api.V1Alpha1;

/// <summary>The values of <see cref="InvalidationSpec.Mode"/>.</summary>
public static class InvalidationModes
{
    /// <summary>Remove the objects.</summary>
    public const string Hard = "hard";

    /// <summary>Mark the objects stale; they may still be served stale-while-revalidate or stale-if-error.</summary>
    public const string Soft = "soft";
}
