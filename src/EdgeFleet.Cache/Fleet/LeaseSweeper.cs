namespace EdgeFleet.Cache.Fleet;

/// <summary>Shield role: reclaims expired leases every few seconds, so the table stays bounded by live leases.</summary>
internal sealed class LeaseSweeper(LeaseRegistry leases, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromTicks(Math.Clamp(leases.LeaseDuration.Ticks / 2, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromSeconds(30).Ticks));
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(period, time, stoppingToken);
            leases.Sweep();
        }
    }
}
