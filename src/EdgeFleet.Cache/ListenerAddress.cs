using System.Net;

namespace EdgeFleet.Cache;

/// <summary>A listener URL reduced to what Kestrel binds: an address and a port (plain HTTP).</summary>
internal readonly record struct ListenerAddress(IPAddress Address, int Port)
{
    public static bool TryParse(string? url, out ListenerAddress address)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(url))
        {
            return false;
        }

        // Kestrel's wildcard forms are not valid URI hosts; map them to "any address".
        var normalised = url.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal)
            .Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalised, UriKind.Absolute, out var uri) || uri.Scheme != "http" ||
            uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
        {
            return false;
        }

        IPAddress ip;
        if (uri.Host == "localhost")
        {
            ip = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out ip!))
        {
            return false;
        }

        address = new ListenerAddress(ip, uri.Port);
        return true;
    }
}
