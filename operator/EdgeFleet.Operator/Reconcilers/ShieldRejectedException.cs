namespace EdgeFleet.Operator.Reconcilers;

/// <summary>A shield refused the invalidation itself (400): sending it again would not help.</summary>
internal sealed class ShieldRejectedException : Exception
{
    public ShieldRejectedException()
    {
    }

    public ShieldRejectedException(string message)
        : base(message)
    {
    }

    public ShieldRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
