using System.Security.Cryptography;

namespace EdgeFleet.DemoOrigin;

/// <summary>
/// A changeable demo object: its bytes, the ETag derived from them (none for an origin that sends
/// no validators), and its Surrogate-Key tags.
/// </summary>
internal sealed record DemoNote(byte[] Body, string? ETag, string Tags)
{
    public static DemoNote Create(byte[] body, string tags, bool validators = true) =>
        new(body, validators ? "\"" + Convert.ToHexString(SHA256.HashData(body))[..16].ToLowerInvariant() + "\"" : null, ("notes " + tags.Replace(',', ' ')).Trim());
}
