using System.Diagnostics.Metrics;

namespace EdgeFleet.Cache.Fleet;

/// <summary>The fleet's instruments: leases held, notices sent, acknowledged, expired and applied.</summary>
internal sealed class FleetMetrics
{
    private readonly Counter<long> _sent;
    private readonly Counter<long> _acked;
    private readonly Counter<long> _expired;
    private readonly Counter<long> _applied;
    private long _updatesSent;
    private long _invalidatesSent;
    private long _applyCount;

    public FleetMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create("EdgeFleet.Fleet");
        _sent = meter.CreateCounter<long>("edgefleet_fleet_notices_sent_total", description: "Notices sent by a shield (attempts), by kind.");
        _acked = meter.CreateCounter<long>("edgefleet_fleet_notices_acknowledged_total", description: "Notices acknowledged by edges.");
        _expired = meter.CreateCounter<long>("edgefleet_fleet_notices_expired_total", description: "Notices dropped unacknowledged because the lease ended.");
        _applied = meter.CreateCounter<long>("edgefleet_fleet_notices_applied_total", description: "Notices applied by an edge, by kind.");
    }

    public long UpdatesSent => Interlocked.Read(ref _updatesSent);

    public long InvalidatesSent => Interlocked.Read(ref _invalidatesSent);

    public long Applied => Interlocked.Read(ref _applyCount);

    public void NoticesSent(int updates, int invalidates)
    {
        Interlocked.Add(ref _updatesSent, updates);
        Interlocked.Add(ref _invalidatesSent, invalidates);
        _sent.Add(updates, new KeyValuePair<string, object?>("kind", "update"));
        _sent.Add(invalidates, new KeyValuePair<string, object?>("kind", "invalidate"));
    }

    public void NoticesAcknowledged(int count) => _acked.Add(count);

    public void NoticesExpired(int count) => _expired.Add(count);

    public void NoticeApplied(string kind)
    {
        Interlocked.Increment(ref _applyCount);
        _applied.Add(1, new KeyValuePair<string, object?>("kind", kind));
    }
}
