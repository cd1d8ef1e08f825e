using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>Registers the fleet's services (both roles; each one stays idle in the role it does not serve).</summary>
internal static class FleetServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddOptions<FleetOptions>().BindConfiguration(CacheServerOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FleetOptions>, FleetOptionsValidator>());
        services.TryAddSingleton<FleetIdentity>();
        services.TryAddSingleton<FleetMetrics>();
        services.TryAddSingleton<EdgeLeaseTable>();
        services.TryAddSingleton<ShieldSet>();
        services.TryAddSingleton<ShieldRoutingHandler>();
        services.TryAddSingleton<EdgeSyncState>();
        services.TryAddSingleton<EdgeNoticeApplier>();
        services.TryAddSingleton<EdgeSync>();
        services.AddHostedService(sp => sp.GetRequiredService<EdgeSync>());
        services.TryAddSingleton<LeaseRegistry>();
        services.TryAddSingleton<EdgeRegistry>();
        services.TryAddSingleton<NoticeLog>();
        services.TryAddSingleton<NoticeDispatcher>();
        services.TryAddSingleton<InvalidationTracker>();
        services.TryAddSingleton<RecentChanges>();
        services.TryAddSingleton<ChangeService>();
        services.TryAddSingleton<InvalidationService>();
        services.TryAddSingleton<OriginNotificationToken>();
        services.TryAddSingleton<FleetHeaderMiddleware>();
        services.TryAddSingleton<AdaptivePoller>();
        services.AddHostedService(sp => sp.GetRequiredService<AdaptivePoller>());
        services.AddHostedService<LeaseSweeper>();
    }
}
