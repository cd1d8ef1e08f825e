using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using EdgeFleet.Http;
using EdgeFleet.Storage;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// Shield role, when <c>AdaptivePolling:Enabled</c>: polls the origin for objects that edges hold
/// leases on, with conditional requests. Each object starts at <c>MinInterval</c>; the interval
/// doubles each time the object is unchanged (up to <c>MaxInterval</c>) and goes back to the
/// minimum when it changed, which starts an invalidation (with UPDATEs for hot objects). An object
/// without ETag or Last-Modified is fetched whole and compared by a hash of its content.
/// </summary>
internal sealed class AdaptivePoller(
    LeaseRegistry leases,
    IObjectStore store,
    InvalidationService invalidations,
    OriginClient origin,
    TimeProvider time,
    IOptions<FleetOptions> options,
    ILogger<AdaptivePoller> logger) : BackgroundService
{
    private static readonly TimeSpan BodyReadTimeout = TimeSpan.FromSeconds(30);

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
            var changed = version == LeaseHeader.NoVersion
                ? await ContentChangedAsync(key, state, o.MaxContentHashBytes, cancellationToken)
                : await VersionChangedAsync(key, version, cancellationToken);
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
        catch (Exception ex) when (ex is HttpRequestException or IOException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            FleetLog.PollFailed(logger, key, ex.Message);
        }

        state.Due = time.GetUtcNow() + state.Interval;
    }

    /// <summary>A conditional HEAD: changed when the origin names another version than the leased one.</summary>
    private async Task<bool> VersionChangedAsync(string key, string? version, CancellationToken cancellationToken)
    {
        using var response = await origin.SendAsync(
            () =>
            {
                var message = Request(HttpMethod.Head, key);
                if (version is { Length: > 0 } && (version.StartsWith('"') || version.StartsWith("W/", StringComparison.Ordinal)))
                {
                    message.Headers.TryAddWithoutValidation(HeaderNames.IfNoneMatch, version);
                }

                return message;
            },
            idempotent: true,
            "poll",
            cancellationToken);
        return (int)response.StatusCode != 304 && version is not null && VersionOf(response) != version;
    }

    /// <summary>
    /// For an object without validators: a GET whose body's SHA-256 is compared with the last one
    /// seen (at first, with the shield's stored copy, which is what the edges were given).
    /// </summary>
    private async Task<bool> ContentChangedAsync(string key, PollState state, long maxBytes, CancellationToken cancellationToken)
    {
        using var response = await origin.SendAsync(() => Request(HttpMethod.Get, key), idempotent: true, "poll", cancellationToken);
        if (VersionOf(response) != LeaseHeader.NoVersion)
        {
            // The origin started sending validators: the version the edges hold is not this one.
            return true;
        }

        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > maxBytes)
        {
            return false;
        }

        // The body is read outside the origin pipeline's per-attempt timeout: bound it here, so that
        // an origin that stalls mid-body cannot hold up every other poll.
        using var bodyTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bodyTimeout.CancelAfter(BodyReadTimeout);
        await using var body = await response.Content.ReadAsStreamAsync(bodyTimeout.Token);
        if (await DigestAsync(body, maxBytes, bodyTimeout.Token) is not { } digest)
        {
            return false;
        }

        var baseline = state.ContentDigest ?? await StoredDigestAsync(key, maxBytes, cancellationToken);
        state.ContentDigest = digest;
        return baseline is not null && !baseline.AsSpan().SequenceEqual(digest);
    }

    private async Task<byte[]?> StoredDigestAsync(string key, long maxBytes, CancellationToken cancellationToken)
    {
        if (!store.TryGet(key, out var stored) || stored.InvalidatedAt is not null || CachedEntry.Of(stored).IsVaryMarker || stored.BodyLength > maxBytes)
        {
            return null;
        }

        if (stored.External is null)
        {
            return SHA256.HashData(stored.Body.Span);
        }

        try
        {
            await using var body = await stored.External.OpenAsync(0, stored.External.Length, cancellationToken);
            return await DigestAsync(body, maxBytes, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or CorruptObjectException)
        {
            // Gone or damaged on disk: the first poll only sets the baseline.
            return null;
        }
    }

    /// <summary>The SHA-256 of a stream, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    private static async Task<byte[]?> DigestAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    return null;
                }

                hash.AppendData(buffer, 0, read);
            }

            return hash.GetHashAndReset();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string key)
    {
        var message = new HttpRequestMessage(method, new Uri(origin.BaseUri, key.TrimStart('/')));
        message.Headers.Host = origin.HostHeader;
        return message;
    }

    private static string VersionOf(HttpResponseMessage response) => LeaseHeader.VersionOf(
        response.Headers.ETag?.ToString(),
        response.Content.Headers.LastModified is { } lm ? HttpDate.Format(lm) : null);
}
