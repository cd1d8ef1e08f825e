namespace EdgeFleet.Storage.Disk;

/// <summary>
/// The body of one version of an object on disk. Opening it checks the file still holds that
/// version (by its nonce): a file replaced or removed since the lookup is not read.
/// </summary>
internal sealed class DiskObjectBody(DiskObjectStore store, string path, DiskObjectHeader header) : IObjectBody
{
    public long Length => header.BodyLength;

    public ulong Nonce => header.Nonce;

    public async ValueTask<Stream> OpenAsync(long offset, long count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + count, Length);
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            var prefix = new byte[DiskObjectHeader.FixedLength];
            if (!DiskObjectStore.ReadExactly(handle, prefix, 0) || DiskObjectHeader.NonceOf(prefix) != header.Nonce)
            {
                throw new IOException("the object was replaced or removed since it was looked up");
            }

            var stream = new DiskBodyStream(store, handle, header, offset, count);
            await stream.PrimeAsync(cancellationToken);
            return stream;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
