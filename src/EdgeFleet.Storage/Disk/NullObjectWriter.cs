namespace EdgeFleet.Storage.Disk;

/// <summary>The writer of an object the tier will not store (disk failing, or too large): it takes and drops the body.</summary>
internal sealed class NullObjectWriter : IObjectWriter
{
    public static readonly NullObjectWriter Instance = new();

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<bool> CommitAsync(CancellationToken cancellationToken) => ValueTask.FromResult(false);

    public void Abort()
    {
    }

    public void Dispose()
    {
    }
}
