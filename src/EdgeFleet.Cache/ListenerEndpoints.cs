using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EdgeFleet.Cache;

/// <summary>
/// The two listeners as Kestrel bound them (a port of 0 becomes the real port once bound).
/// A request belongs to the admin side when its connection arrived on the admin listener's
/// local port, which no request field can change.
/// </summary>
public sealed class ListenerEndpoints
{
    internal ListenOptions? Public { get; set; }

    internal ListenOptions? Admin { get; set; }

    public string PublicUrl => Url(Public);

    public string AdminUrl => Url(Admin);

    internal bool IsAdmin(HttpContext context) =>
        Admin?.IPEndPoint is { } admin && context.Connection.LocalPort == admin.Port &&
        (Public?.IPEndPoint is not { } pub || pub.Port != admin.Port);

    private static string Url(ListenOptions? options) => options?.IPEndPoint is { } ep
        ? $"http://{(ep.Address.Equals(IPAddress.Any) ? "127.0.0.1" : ep.Address.ToString())}:{ep.Port}"
        : "";
}
