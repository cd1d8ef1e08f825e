using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache;

/// <summary>
/// On shutdown, leaves the DNS answer first (readiness fails) and keeps serving for the DNS TTL
/// plus slack, so resolvers that cached this pod's address stop using it before it goes away.
/// Stopped before Kestrel (hosted services stop in reverse order of registration).
/// </summary>
internal sealed class DrainService(Readiness readiness, IOptions<CacheServerOptions> options, TimeProvider time) : IHostedService
{
    /// <summary>Resolver slack on top of the TTL.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    private int _drained;

    public TimeSpan DrainTime => TimeSpan.FromSeconds(options.Value.DnsTtlSeconds) + (options.Value.DnsTtlSeconds > 0 ? Slack : TimeSpan.Zero);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => DrainAsync(cancellationToken);

    /// <summary>Leaves the answer and waits; a second call (preStop, then SIGTERM) returns at once.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        readiness.StartDraining();
        if (Interlocked.Exchange(ref _drained, 1) == 1)
        {
            return;
        }

        try
        {
            await Task.Delay(DrainTime, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out: exit now.
        }
    }
}
