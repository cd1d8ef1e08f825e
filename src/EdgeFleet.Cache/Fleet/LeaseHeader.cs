using System.Globalization;
using System.Text;

namespace EdgeFleet.Cache.Fleet;

/// <summary>The value of <c>EdgeFleet-Lease</c>: what a shield granted, parsed or formatted.</summary>
internal sealed record LeaseHeader(string Key, string Version, DateTimeOffset Expires, string Shield, string Epoch)
{
    public string Format() => string.Create(
        CultureInfo.InvariantCulture,
        $"key={Quote(Key)}; version={Quote(Version)}; expires={Expires.ToUnixTimeMilliseconds()}; shield={Quote(Shield)}; epoch={Quote(Epoch)}");

    /// <summary>Parses a lease field; null when any part is missing or malformed.</summary>
    public static LeaseHeader? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < value.Length)
        {
            while (i < value.Length && value[i] is ' ' or ';')
            {
                i++;
            }

            var eq = value.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var name = value[i..eq].Trim();
            i = eq + 1;
            var text = new StringBuilder();
            if (i < value.Length && value[i] == '"')
            {
                i++;
                while (i < value.Length && value[i] != '"')
                {
                    if (value[i] == '\\' && i + 1 < value.Length)
                    {
                        i++;
                    }

                    text.Append(value[i++]);
                }

                i++;
            }
            else
            {
                while (i < value.Length && value[i] != ';')
                {
                    text.Append(value[i++]);
                }
            }

            parts[name] = text.ToString().Trim();
        }

        return parts.TryGetValue("key", out var key) && parts.TryGetValue("version", out var version) &&
            parts.TryGetValue("expires", out var expires) && long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) &&
            parts.TryGetValue("shield", out var shield) && parts.TryGetValue("epoch", out var epoch)
            ? new LeaseHeader(key, version, DateTimeOffset.FromUnixTimeMilliseconds(ms), shield, epoch)
            : null;
    }

    /// <summary>The version of a response without ETag or Last-Modified (the poller compares its content instead).</summary>
    public const string NoVersion = "-";

    /// <summary>The version of a response: its ETag, else its Last-Modified, else <see cref="NoVersion"/>.</summary>
    public static string VersionOf(string? etag, string? lastModified) =>
        !string.IsNullOrEmpty(etag) ? etag : !string.IsNullOrEmpty(lastModified) ? lastModified : NoVersion;

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
