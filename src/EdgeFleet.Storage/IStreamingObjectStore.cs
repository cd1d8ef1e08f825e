namespace EdgeFleet.Storage;

/// <summary>A store that takes bodies as streams, for objects too large to buffer whole.</summary>
public interface IStreamingObjectStore : IObjectStore
{
    /// <summary>
    /// Starts writing <paramref name="key"/>; <paramref name="expectedLength"/> is the body's
    /// length when known in advance. The previous object under the key stays readable until the
    /// new one is committed.
    /// </summary>
    IObjectWriter BeginWrite(string key, ReadOnlyMemory<byte> metadata, IReadOnlyList<string> tags, long? expectedLength);
}
