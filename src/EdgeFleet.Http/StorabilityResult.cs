namespace EdgeFleet.Http;

/// <summary>The outcome of <see cref="StorabilityRule"/>: a verdict and its reason, for logs.</summary>
public readonly record struct StorabilityResult(bool Storable, string Reason)
{
    public static StorabilityResult Yes(string reason) => new(true, reason);

    public static StorabilityResult No(string reason) => new(false, reason);
}
