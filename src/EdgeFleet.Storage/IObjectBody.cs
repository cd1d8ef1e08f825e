namespace EdgeFleet.Storage;

/// <summary>
/// A body that lives outside memory (on disk), read in ranges without reading the rest. Each
/// range is read in whole checksummed chunks and every chunk is verified before its bytes are
/// handed out.
/// </summary>
public interface IObjectBody
{
    /// <summary>The body's length in bytes.</summary>
    long Length { get; }

    /// <summary>
    /// Opens <paramref name="count"/> bytes from <paramref name="offset"/>. The first chunk is read
    /// and verified before this returns, so a missing, replaced or corrupt object shows up
    /// (as <see cref="CorruptObjectException"/> or <see cref="IOException"/>) before the caller
    /// has sent anything; a later corrupt chunk makes a read of the stream throw.
    /// </summary>
    ValueTask<Stream> OpenAsync(long offset, long count, CancellationToken cancellationToken);
}
