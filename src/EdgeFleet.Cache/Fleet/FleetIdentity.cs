using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// Who this pod is in the fleet: its id (env <c>PodName</c>, else the cache name and admin port)
/// and the admin URL at which shields reach it (<c>NotifyUrl</c>, else the admin listener's).
/// Read lazily: the listeners' ports are known only once Kestrel bound them.
/// </summary>
internal sealed class FleetIdentity(IConfiguration configuration, IOptions<FleetOptions> options, IOptions<CacheServerOptions> cache, IServiceProvider services)
{
    public string Id => configuration["PodName"] is { Length: > 0 } pod
        ? pod
        : $"{cache.Value.CacheName}-{new Uri(AdminUrl).Port}";

    public string AdminUrl => options.Value.NotifyUrl is { Length: > 0 } url
        ? url.TrimEnd('/')
        : services.GetRequiredService<ListenerEndpoints>().AdminUrl;
}
