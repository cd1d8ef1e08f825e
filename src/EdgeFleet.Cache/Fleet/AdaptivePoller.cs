using System.Collections.Concurrent;
using EdgeFleet.Http;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// Shield role, when <c>AdaptivePolling:Enabled</c>: polls the origin for objects that edges hold
/// leases on, with conditional requests. Each object starts at <c>MinInterval</c>; the interval
/// doubles each time the object is unchanged (up to <c>MaxInterval</c>) and goes back to the
/// minimum when it changed, which starts an invalidation (with UPDATEs for hot objects).
/// </summary>
internal sealed class AdaptivePoller(
    LeaseRegistry leases,
    InvalidationService invalidations,
    OriginClient origin,
    TimeProvider time,
    IOptions<FleetOptions> options,
    ILogger<AdaptivePoller> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, PollState> _states = new(StringComparer.Ordinal);

    /// <summary>Polls sent, and changes they found (for the fleet status and tests).</summary>
    public long Polls { get; private set; }

    public long ChangesFound { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.IsShield || !o.AdaptivePolling.Enabled)
        {
            return;
        }

        var tick = TimeSpan.FromTicks(Math.Clamp(o.AdaptivePolling.MinInterval.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(1).Ticks));
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(tick, time, stoppingToken);
            var now = time.GetUtcNow();
            var live = new HashSet<string>(leases.LeasedKeys(), StringComparer.Ordinal);
            foreach (var key in _states.Keys.Where(k => !live.Contains(k)).ToList())
            {
                _states.TryRemove(key, out _);
            }

            foreach (var key in live)
            {
                var state = _states.GetOrAdd(key, _ => new PollState { Interval = o.AdaptivePolling.MinInterval, Due = now + o.AdaptivePolling.MinInterval });
                if (state.Due <= now)
                {
                    await PollAsync(key, state, stoppingToken);
                }
            }
        }
    }

    private async Task PollAsync(string key, PollState state, CancellationToken cancellationToken)
    {
        var o = options.Value.AdaptivePolling;
        var version = leases.Holders(key).Select(h => h.Version).FirstOrDefault();
        try
        {
            Polls++;
            using var response = await origin.SendAsync(
                () =>
                {
                    var message = new HttpRequestMessage(HttpMethod.Head, new Uri(origin.BaseUri, key.TrimStart('/')));
                    message.Headers.Host = origin.HostHeader;
                    if (version is { Length: > 0 } and not "-" && version.StartsWith('"') || version?.StartsWith("W/", StringComparison.Ordinal) == true)
                    {
                        message.Headers.TryAddWithoutValidation(HeaderNames.IfNoneMatch, version);
                    }

                    return message;
                },
                idempotent: true,
                "poll",
                cancellationToken);
            var current = LeaseHeader.VersionOf(
                response.Headers.ETag?.ToString(),
                response.Content.Headers.LastModified is { } lm ? HttpDate.Format(lm) : null);
            var changed = (int)response.StatusCode != 304 && version is not null && current != version;
            if (changed)
            {
                ChangesFound++;
                state.Interval = o.MinInterval;
                invalidations.Start(new PurgeRequest { Urls = [key] }, null);
            }
            else
            {
                state.Interval = TimeSpan.FromTicks(Math.Min(state.Interval.Ticks * 2, o.MaxInterval.Ticks));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            FleetLog.PollFailed(logger, key, ex.Message);
        }

        state.Due = time.GetUtcNow() + state.Interval;
    }
}
