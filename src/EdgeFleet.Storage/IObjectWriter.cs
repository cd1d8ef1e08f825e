namespace EdgeFleet.Storage;

/// <summary>
/// Streams one object into a store while it arrives, so an object larger than memory is never
/// held whole. Nothing is visible to readers until <see cref="CommitAsync"/> succeeds; an
/// aborted or abandoned writer leaves no trace. Storage failures do not throw from
/// <see cref="WriteAsync"/>: the writer stops storing and <see cref="CommitAsync"/> says false.
/// </summary>
public interface IObjectWriter : IDisposable
{
    /// <summary>Appends the next piece of the body. The caller may reuse the memory afterwards.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Makes the object visible; false when it was not stored (declined, failed or aborted).</summary>
    ValueTask<bool> CommitAsync(CancellationToken cancellationToken);

    /// <summary>Gives the object up (for example, the origin broke off).</summary>
    void Abort();
}
