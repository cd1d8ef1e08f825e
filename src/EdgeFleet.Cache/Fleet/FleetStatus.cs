using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>The body of <c>GET /admin/fleet</c>: what this pod knows of the fleet, for people and tests.</summary>
internal sealed record FleetStatus(
    string Role,
    string Id,
    string Epoch,
    int Leases,
    int KnownEdges,
    bool BroadcastPeriod,
    long NoticeSeq,
    long UpdatesSent,
    long InvalidatesSent,
    long NoticesApplied,
    long MarkedAllStale,
    int CatchUps,
    long Polls,
    long PollChanges,
    IReadOnlyDictionary<string, long> FillsByShield,
    IReadOnlyList<string> ShieldsDown,
    IReadOnlyDictionary<string, ShieldSyncState> Sync)
{
    public static FleetStatus Of(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<FleetOptions>>().Value;
        var metrics = services.GetRequiredService<FleetMetrics>();
        var log = services.GetRequiredService<NoticeLog>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var router = services.GetRequiredService<ShieldRoutingHandler>();
        Dictionary<string, long> fills;
        lock (router.Fills)
        {
            fills = new Dictionary<string, long>(router.Fills);
        }

        var poller = services.GetRequiredService<AdaptivePoller>();
        var state = services.GetRequiredService<EdgeSyncState>();
        Dictionary<string, ShieldSyncState> sync;
        lock (state.Lock)
        {
            sync = state.Snapshot();
        }

        return new FleetStatus(
            options.IsShield ? FleetOptions.ShieldRole : FleetOptions.EdgeRole,
            services.GetRequiredService<FleetIdentity>().Id,
            log.Epoch,
            options.IsShield ? services.GetRequiredService<LeaseRegistry>().Count : services.GetRequiredService<EdgeLeaseTable>().Count,
            services.GetRequiredService<EdgeRegistry>().Count,
            options.IsShield && services.GetRequiredService<ChangeService>().InBroadcastPeriod,
            log.LastSeq,
            metrics.UpdatesSent,
            metrics.InvalidatesSent,
            metrics.Applied,
            services.GetRequiredService<EdgeNoticeApplier>().MarkedAllStale,
            services.GetRequiredService<EdgeSync>().CatchUps,
            poller.Polls,
            poller.ChangesFound,
            fills,
            services.GetRequiredService<ShieldSet>().All.Where(s => !s.IsUp(now)).Select(s => s.PublicUrl).ToList(),
            sync);
    }
}
