using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// Who this pod is in the fleet: its id (<c>EdgeFleet:PodName</c>, which the operator sets from
/// the pod's name, else the cache name and admin port) and the admin URL at which shields reach
/// it (<c>NotifyUrl</c>; else the pod's IP, <c>EdgeFleet:PodIp</c>, with the admin port; else the
/// admin listener's). Read lazily: the listeners' ports are known only once Kestrel bound them.
/// </summary>
internal sealed class FleetIdentity(IConfiguration configuration, IOptions<FleetOptions> options, IOptions<CacheServerOptions> cache, IServiceProvider services)
{
    public string Id => PodName is { Length: > 0 } pod
        ? pod
        : $"{cache.Value.CacheName}-{new Uri(AdminUrl).Port}";

    public string? PodName => configuration["EdgeFleet:PodName"] ?? configuration["PodName"];

    public string AdminUrl
    {
        get
        {
            if (options.Value.NotifyUrl is { Length: > 0 } url)
            {
                return url.TrimEnd('/');
            }

            var listener = services.GetRequiredService<ListenerEndpoints>().AdminUrl;
            return configuration["EdgeFleet:PodIp"] is { Length: > 0 } ip && Uri.TryCreate(listener, UriKind.Absolute, out var admin)
                ? $"http://{(ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip)}:{admin.Port}"
                : listener;
        }
    }

    /// <summary>Whether an admin URL names this pod (a shield finds itself among its peers).</summary>
    public bool IsSelf(string adminUrl) =>
        string.Equals(adminUrl.TrimEnd('/'), AdminUrl, StringComparison.OrdinalIgnoreCase) ||
        (PodName is { Length: > 0 } pod && Uri.TryCreate(adminUrl, UriKind.Absolute, out var uri) &&
            (string.Equals(uri.Host, pod, StringComparison.OrdinalIgnoreCase) ||
             uri.Host.StartsWith(pod + ".", StringComparison.OrdinalIgnoreCase)));
}
