namespace EdgeFleet.Http;

/// <summary>A satisfiable byte range, resolved against a representation's length: [From, To] inclusive.</summary>
public readonly record struct ByteRange(long From, long To)
{
    public long Length => To - From + 1;

    /// <summary>The <c>Content-Range</c> value for this range of a representation of <paramref name="total"/> bytes.</summary>
    public string ContentRange(long total) => $"bytes {From}-{To}/{total}";
}
