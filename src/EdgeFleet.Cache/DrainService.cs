using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache;

/// <summary>
/// On shutdown, leaves the DNS answer first (readiness fails) and keeps serving for the DNS TTL
/// plus slack, so resolvers that cached this pod's address stop using it before it goes away.
/// Stopped before Kestrel (hosted services stop in reverse order of registration).
/// </summary>
internal sealed class DrainService(Readiness readiness, IOptions<CacheServerOptions> options, TimeProvider time) : IHostedService
{
    private int _drained;

    public TimeSpan DrainTime => options.Value.DnsTtlSeconds > 0
        ? TimeSpan.FromSeconds(options.Value.DnsTtlSeconds + options.Value.ResolverSlackSeconds)
        : TimeSpan.Zero;

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
