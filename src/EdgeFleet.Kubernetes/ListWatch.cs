using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeFleet.Kubernetes;

/// <summary>
/// An informer: lists a resource type, then watches from the list's resourceVersion, keeping a
/// local cache by <c>namespace/name</c> and raising <see cref="Changed"/> for every change. On a
/// dropped stream it resumes from the last resourceVersion it saw (an event's or a bookmark's);
/// on 410 Gone (HTTP or an ERROR event) it relists and reports the difference as changes, so a
/// consumer never misses a deletion. Handlers run on the watch loop: keep them short (enqueue a
/// key). Cached objects are shared; clone before editing.
/// </summary>
public sealed partial class ListWatch
{
    private readonly KubernetesClient _client;
    private readonly ResourceType _type;
    private readonly string? _namespace;
    private readonly string? _labelSelector;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, JsonObject> _cache = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _relists;
    private int _resumes;

    /// <summary>Watches <paramref name="type"/> in one namespace, or in all when <paramref name="namespace"/> is null.</summary>
    public ListWatch(
        KubernetesClient client, ResourceType type, string? @namespace = null, string? labelSelector = null,
        TimeProvider? time = null, ILogger<ListWatch>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(type);
        _client = client;
        _type = type;
        _namespace = @namespace;
        _labelSelector = labelSelector;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<ListWatch>.Instance;
    }

    /// <summary>Raised for each change of the cache, in the order the server reported them.</summary>
    public event EventHandler<ResourceChange>? Changed;

    /// <summary>Server-side timeout of each watch request; the loop resumes after it.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Page size of the list.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Wait after a failed list or watch before trying again (doubles up to a minute).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>True once the first list has filled the cache.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The resourceVersion the next watch resumes from.</summary>
    public string? ResourceVersion { get; private set; }

    /// <summary>How many times the cache was filled by a list (1 after start; more after 410s).</summary>
    public int ListCount => Volatile.Read(ref _relists);

    /// <summary>How many times a watch was restarted from a resourceVersion without a list.</summary>
    public int ResumeCount => Volatile.Read(ref _resumes);

    /// <summary>The cached objects.</summary>
    public IReadOnlyCollection<JsonObject> Items => _cache.Values.ToList();

    public bool TryGet(string? @namespace, string name, out JsonObject? resource) =>
        _cache.TryGetValue(KubernetesObjectExtensions.KeyOf(@namespace, name), out resource);

    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>Runs until cancelled; failures are retried with backoff, never thrown.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var needList = true;
        var delay = RetryDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    await ListAsync(cancellationToken);
                    needList = false;
                }
                else
                {
                    Interlocked.Increment(ref _resumes);
                }

                var started = _time.GetUtcNow();
                needList = await WatchOnceAsync(cancellationToken);
                if (needList || _time.GetUtcNow() - started >= TimeSpan.FromSeconds(1))
                {
                    delay = RetryDelay;
                    continue;
                }

                // A stream that keeps ending at once (a proxy cutting it, say) must not become a
                // tight reconnect loop: back off as after a failure.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesException e) when (e.IsGone)
            {
                LogExpired(_logger, _type.GroupResource, ResourceVersion);
                needList = true;
                continue;
            }
            catch (Exception e) when (e is KubernetesException or HttpRequestException or IOException or TimeoutException or System.Text.Json.JsonException)
            {
                LogWatchFailed(_logger, _type.GroupResource, e.Message, delay);
            }

            try
            {
                await Task.Delay(delay, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var list = await _client.ListAllAsync(
            _type, _namespace, new ListOptions { LabelSelector = _labelSelector, Limit = PageSize }, cancellationToken);
        Interlocked.Increment(ref _relists);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list.Items)
        {
            seen.Add(item.Key());
            Upsert(item);
        }

        // A relist replaces the cache: whatever vanished while we were not watching is a deletion.
        foreach (var stale in _cache.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            if (_cache.TryRemove(stale, out var gone))
            {
                Raise(new ResourceChange(ResourceChangeType.Deleted, gone, null));
            }
        }

        ResourceVersion = list.ResourceVersion;
        _synced.TrySetResult();
    }

    // Returns true when the server said our resourceVersion is too old (relist needed).
    private async Task<bool> WatchOnceAsync(CancellationToken cancellationToken)
    {
        var options = new WatchOptions
        {
            ResourceVersion = ResourceVersion,
            LabelSelector = _labelSelector,
            AllowBookmarks = true,
            TimeoutSeconds = (int)Math.Max(1, WatchTimeout.TotalSeconds),
        };
        await foreach (var e in _client.WatchAsync(_type, _namespace, options, cancellationToken))
        {
            switch (e.Type)
            {
                case WatchEventType.Added:
                case WatchEventType.Modified:
                    Upsert(e.Resource);
                    break;
                case WatchEventType.Deleted:
                    if (_cache.TryRemove(e.Resource.Key(), out _))
                    {
                        Raise(new ResourceChange(ResourceChangeType.Deleted, e.Resource, null));
                    }

                    break;
                case WatchEventType.Bookmark:
                    break;
                case WatchEventType.Error:
                    var error = e.ToException();
                    if (error.IsGone)
                    {
                        LogExpired(_logger, _type.GroupResource, ResourceVersion);
                        return true;
                    }

                    throw error;
            }

            if (e.ResourceVersion is { Length: > 0 } version)
            {
                ResourceVersion = version;
            }
        }

        return false;
    }

    private void Upsert(JsonObject item)
    {
        item["apiVersion"] ??= _type.ApiVersion;
        item["kind"] ??= _type.Kind;
        var key = item.Key();
        var previous = _cache.TryGetValue(key, out var old) ? old : null;
        if (previous is not null && previous.ResourceVersion() == item.ResourceVersion())
        {
            return; // a relist returning what we already hold is not a change
        }

        _cache[key] = item;
        Raise(new ResourceChange(previous is null ? ResourceChangeType.Added : ResourceChangeType.Modified, item, previous));
    }

    private void Raise(ResourceChange change)
    {
        try
        {
            Changed?.Invoke(this, change);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A faulty handler must not stop the informer that every other handler depends on.
            LogHandlerFailed(_logger, _type.GroupResource, change.Key, e);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Watch of {Resource} expired at resourceVersion {Version}; relisting")]
    private static partial void LogExpired(ILogger logger, string resource, string? version);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "List/watch of {Resource} failed: {Error}; retrying in {Delay}")]
    private static partial void LogWatchFailed(ILogger logger, string resource, string error, TimeSpan delay);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "A change handler of {Resource} failed for {Key}")]
    private static partial void LogHandlerFailed(ILogger logger, string resource, string key, Exception exception);
}
