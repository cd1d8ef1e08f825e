namespace EdgeFleet.Operator.Reconcilers;

/// <summary>No shield pod answered usefully (connection refused, timeout, 5xx, a refused token); worth retrying later.</summary>
internal sealed class ShieldUnavailableException : Exception
{
    public ShieldUnavailableException()
    {
    }

    public ShieldUnavailableException(string message)
        : base(message)
    {
    }

    public ShieldUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
