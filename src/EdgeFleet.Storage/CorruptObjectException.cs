namespace EdgeFleet.Storage;

/// <summary>A stored object failed its checksum; the store has already dropped it.</summary>
public sealed class CorruptObjectException : IOException
{
    public CorruptObjectException()
    {
    }

    public CorruptObjectException(string message)
        : base(message)
    {
    }

    public CorruptObjectException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
