using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeFleet.Kubernetes;

/// <summary>
/// Leader election on a <c>coordination.k8s.io/v1</c> Lease, following client-go's algorithm:
/// the holder renews <c>renewTime</c> every retry period with an update guarded by
/// resourceVersion; a candidate takes over only when it has seen the record unchanged for
/// <c>leaseDurationSeconds</c> of its own clock (so clock skew between nodes does not matter);
/// a leader that cannot renew within the renew deadline steps down and cancels its work.
/// </summary>
public sealed partial class LeaderElector
{
    private readonly KubernetesClient _client;
    private readonly LeaderElectionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private string? _observedHolder;
    private string? _observedRenewTime;
    private DateTimeOffset _observedAt;
    private bool _observed;
    private volatile bool _isLeader;

    public LeaderElector(
        KubernetesClient client, LeaderElectionOptions options, TimeProvider? time = null, ILogger<LeaderElector>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        if (options.RenewDeadline >= options.LeaseDuration)
        {
            throw new ArgumentException("RenewDeadline must be shorter than LeaseDuration, or two leaders could overlap", nameof(options));
        }

        _client = client;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<LeaderElector>.Instance;
    }

    /// <summary>True while <see cref="RunAsync"/> holds the lease and runs the callback.</summary>
    public bool IsLeader => _isLeader;

    /// <summary>The holder named by the lease when this candidate last read it.</summary>
    public string? ObservedHolder => _observedHolder;

    /// <summary>
    /// Campaigns until leader, runs <paramref name="whileLeading"/> with a token that is cancelled
    /// when leadership is lost or <paramref name="cancellationToken"/> fires, and returns once the
    /// callback has finished. Returns without running it if cancelled first. A caller that wants to
    /// campaign again after a loss calls it again (operators usually exit instead).
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> whileLeading, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(whileLeading);
        while (!await TryStepAsync(_options.LeaseDuration, cancellationToken))
        {
            if (!await DelayAsync(Jittered(_options.RetryPeriod), cancellationToken))
            {
                return;
            }
        }

        _isLeader = true;
        LogAcquired(_logger, _options.Identity, _options.LeaseNamespace, _options.LeaseName);
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = Task.Run(() => whileLeading(leading.Token), CancellationToken.None);
        var lastRenewal = _time.GetUtcNow();
        try
        {
            while (!cancellationToken.IsCancellationRequested && !work.IsCompleted)
            {
                await Task.WhenAny(Task.Delay(_options.RetryPeriod, _time, cancellationToken), work);
                if (cancellationToken.IsCancellationRequested || work.IsCompleted)
                {
                    break;
                }

                var remaining = _options.RenewDeadline - (_time.GetUtcNow() - lastRenewal);
                if (remaining > TimeSpan.Zero && await TryStepAsync(remaining, cancellationToken))
                {
                    lastRenewal = _time.GetUtcNow();
                    continue;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                var takenOver = !string.IsNullOrEmpty(_observedHolder) && _observedHolder != _options.Identity;
                if (takenOver || _time.GetUtcNow() - lastRenewal >= _options.RenewDeadline)
                {
                    LogLost(_logger, _options.Identity, _observedHolder);
                    break;
                }
            }
        }
        finally
        {
            _isLeader = false;
            await leading.CancelAsync();
            try
            {
                await work;
            }
            catch (OperationCanceledException) when (leading.IsCancellationRequested)
            {
                // The callback observed our cancellation: the expected way for it to end.
            }
            finally
            {
                if (cancellationToken.IsCancellationRequested && _options.ReleaseOnCancel)
                {
                    await ReleaseAsync();
                }
            }
        }
    }

    /// <summary>
    /// One round of the algorithm: create the lease, renew it if ours, or take it over if it has
    /// expired by our observation. True when this candidate holds the lease afterwards. API errors
    /// surface as exceptions; <see cref="RunAsync"/> treats them as a failed round.
    /// </summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var lease = await _client.GetOrNullAsync(ResourceType.Leases, _options.LeaseNamespace, _options.LeaseName, cancellationToken);
        if (lease is null)
        {
            var fresh = new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = _options.LeaseName, ["namespace"] = _options.LeaseNamespace },
                ["spec"] = Spec(now, now, 0),
            };
            try
            {
                Observe(await _client.CreateAsync(ResourceType.Leases, fresh, cancellationToken), now);
                return true;
            }
            catch (KubernetesConflictException)
            {
                return false; // another candidate created it first
            }
        }

        var spec = lease["spec"] as JsonObject ?? [];
        Observe(lease, now);
        var holder = (string?)spec["holderIdentity"];
        var mine = holder == _options.Identity;
        var duration = spec["leaseDurationSeconds"] is JsonValue d && d.TryGetValue(out int seconds)
            ? TimeSpan.FromSeconds(seconds)
            : _options.LeaseDuration;
        if (!string.IsNullOrEmpty(holder) && !mine && _observedAt + duration > now)
        {
            return false; // held by someone else and not yet expired by our clock
        }

        var transitions = spec["leaseTransitions"] is JsonValue t && t.TryGetValue(out int count) ? count : 0;
        lease["spec"] = mine
            ? Spec(KubernetesTime.Parse((string?)spec["acquireTime"]) ?? now, now, transitions)
            : Spec(now, now, transitions + 1);
        try
        {
            Observe(await _client.UpdateAsync(ResourceType.Leases, lease, cancellationToken), now);
            return true;
        }
        catch (KubernetesConflictException)
        {
            return false; // someone renewed or took it between our read and our write
        }
    }

    private JsonObject Spec(DateTimeOffset acquired, DateTimeOffset renewed, int transitions) => new()
    {
        ["holderIdentity"] = _options.Identity,
        ["leaseDurationSeconds"] = (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds),
        ["acquireTime"] = KubernetesTime.FormatMicro(acquired),
        ["renewTime"] = KubernetesTime.FormatMicro(renewed),
        ["leaseTransitions"] = transitions,
    };

    // The expiry clock restarts whenever the record changes (client-go's observedTime).
    private void Observe(JsonObject lease, DateTimeOffset now)
    {
        var spec = lease["spec"] as JsonObject;
        var holder = (string?)spec?["holderIdentity"];
        var renew = (string?)spec?["renewTime"];
        if (!_observed || holder != _observedHolder || renew != _observedRenewTime)
        {
            _observed = true;
            _observedHolder = holder;
            _observedRenewTime = renew;
            _observedAt = now;
        }
    }

    private async Task<bool> TryStepAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(limit, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await TryAcquireOrRenewAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // this round ran out of time
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is KubernetesException or HttpRequestException or TimeoutException)
        {
            LogRoundFailed(_logger, _options.Identity, e.Message);
            return false;
        }
    }

    private async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.RenewDeadline, _time);
            var lease = await _client.GetOrNullAsync(ResourceType.Leases, _options.LeaseNamespace, _options.LeaseName, timeout.Token);
            if (lease?["spec"] is not JsonObject spec || (string?)spec["holderIdentity"] != _options.Identity)
            {
                return;
            }

            // client-go's release: no holder and a one-second lease, so a successor need not wait.
            var now = KubernetesTime.FormatMicro(_time.GetUtcNow());
            spec["holderIdentity"] = null;
            spec["leaseDurationSeconds"] = 1;
            spec["renewTime"] = now;
            spec["acquireTime"] = now;
            await _client.UpdateAsync(ResourceType.Leases, lease, timeout.Token);
            LogReleased(_logger, _options.Identity);
        }
        catch (Exception e) when (e is KubernetesException or HttpRequestException or TimeoutException or OperationCanceledException)
        {
            LogRoundFailed(_logger, _options.Identity, e.Message);
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // Candidates spread their tries so they do not hit the server in lockstep.
    private static TimeSpan Jittered(TimeSpan period) => period * (1 + (Random.Shared.NextDouble() * 0.2));

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "{Identity} became leader on lease {Namespace}/{Name}")]
    private static partial void LogAcquired(ILogger logger, string identity, string @namespace, string name);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "{Identity} lost leadership (lease holder now {Holder})")]
    private static partial void LogLost(ILogger logger, string identity, string? holder);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "{Identity} released the lease")]
    private static partial void LogReleased(ILogger logger, string identity);

    [LoggerMessage(EventId = 33, Level = LogLevel.Debug, Message = "{Identity}: leader election round failed: {Error}")]
    private static partial void LogRoundFailed(ILogger logger, string identity, string error);
}
