using System.Security.Cryptography;

namespace EdgeFleet.DemoOrigin;

/// <summary>The demo origin's files: path, media type, bytes, the origin's caching headers and tags.</summary>
internal sealed record DemoContent(string Path, string ContentType, byte[] Body, string CacheControl, string SurrogateKeys)
{
    public string ETag { get; } = "\"" + Convert.ToHexString(SHA256.HashData(Body))[..16].ToLowerInvariant() + "\"";

    public static IReadOnlyList<DemoContent> Create() =>
    [
        new("/images/sunrise.png", "image/png", MediaFactory.Png(640, 360, 255, 160, 40), "public, max-age=3600", "images gallery sunrise"),
        new("/images/ocean.png", "image/png", MediaFactory.Png(640, 360, 20, 120, 255), "public, max-age=3600", "images gallery ocean"),
        new("/images/forest.png", "image/png", MediaFactory.Png(320, 320, 30, 200, 60), "public, max-age=3600", "images forest"),
        new("/audio/tone.wav", "audio/wav", MediaFactory.Wav(2.0, 440), "public, max-age=86400", "audio"),
        new("/video/sweep.y4m", "video/x-yuv4mpeg", MediaFactory.Y4m(320, 240, 50, 25), "public, max-age=86400, stale-while-revalidate=60, stale-if-error=86400", "video"),
        new("/api/time", "application/json", [], "no-store", ""),
    ];
}
