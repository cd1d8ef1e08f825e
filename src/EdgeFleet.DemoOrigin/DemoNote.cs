using System.Security.Cryptography;

namespace EdgeFleet.DemoOrigin;

/// <summary>A changeable demo object: its bytes, the ETag derived from them, and its Surrogate-Key tags.</summary>
internal sealed record DemoNote(byte[] Body, string ETag, string Tags)
{
    public static DemoNote Create(byte[] body, string tags) =>
        new(body, "\"" + Convert.ToHexString(SHA256.HashData(body))[..16].ToLowerInvariant() + "\"", ("notes " + tags.Replace(',', ' ')).Trim());
}
