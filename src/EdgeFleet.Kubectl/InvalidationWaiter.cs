using System.Text.Json.Nodes;
using EdgeFleet.Kubernetes;

namespace EdgeFleet.Kubectl;

/// <summary>
/// Follows one Invalidation's status through a watch until it is Complete or Failed, reporting each
/// change of progress. The watch resumes after the server ends it, and starts over from a fresh
/// read when its resourceVersion has expired (410).
/// </summary>
internal sealed class InvalidationWaiter(KubernetesClient client, TimeProvider time)
{
    /// <summary>How long one watch request lasts before the server ends it and the waiter resumes.</summary>
    public int WatchTimeoutSeconds { get; init; } = 60;

    /// <summary>Returns the Invalidation as it was when it completed; throws <see cref="PluginException"/> when it failed or the time ran out.</summary>
    public async Task<JsonObject> WaitAsync(JsonObject created, TimeSpan timeout, Action<InvalidationProgress> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(created);
        ArgumentNullException.ThrowIfNull(report);
        var ns = created.Namespace();
        var name = created.Name() ?? throw new ArgumentException("the Invalidation has no name", nameof(created));
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var current = created;
        InvalidationProgress? last = null;
        try
        {
            while (true)
            {
                var progress = InvalidationProgress.Of(current);
                if (progress != last)
                {
                    report(progress);
                    last = progress;
                }

                if (progress.IsComplete)
                {
                    return current;
                }

                if (progress.IsFailed)
                {
                    throw new PluginException(ExitCodes.InvalidationFailed,
                        $"invalidation \"{name}\" failed: {progress.Message ?? progress.Describe()}");
                }

                current = await NextAsync(ns, name, current.ResourceVersion(), linked.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new PluginException(ExitCodes.TimedOut,
                $"timed out: invalidation \"{name}\" is still {last?.Describe() ?? "Pending"} after {Age.Format(timeout)}; it goes on in the cluster");
        }
    }

    // The next version of the object after resourceVersion: from a watch, or a fresh read.
    private async Task<JsonObject> NextAsync(string? ns, string name, string? resourceVersion, CancellationToken cancellationToken)
    {
        var options = new WatchOptions
        {
            ResourceVersion = resourceVersion,
            FieldSelector = "metadata.name=" + name,
            TimeoutSeconds = WatchTimeoutSeconds,
        };
        while (true)
        {
            var next = await ReadWatchAsync(ns, name, options, cancellationToken);
            if (next.Object is { } obj)
            {
                return obj;
            }

            options = options with { ResourceVersion = next.ResourceVersion };
            // The server ended the watch (its timeout, a restart): resume, without spinning.
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
        }
    }

    // One watch request: the next version of the object, or null and the resourceVersion to resume from.
    private async Task<(JsonObject? Object, string? ResourceVersion)> ReadWatchAsync(
        string? ns, string name, WatchOptions options, CancellationToken cancellationToken)
    {
        var resourceVersion = options.ResourceVersion;
        try
        {
            await foreach (var change in client.WatchAsync(ResourceType.Invalidations, ns, options, cancellationToken))
            {
                switch (change.Type)
                {
                    case WatchEventType.Added:
                    case WatchEventType.Modified:
                        return (change.Resource, change.ResourceVersion);
                    case WatchEventType.Deleted:
                        throw new PluginException(ExitCodes.NotFound, $"not found: invalidation \"{name}\" was deleted before it completed");
                    case WatchEventType.Bookmark:
                        resourceVersion = change.ResourceVersion ?? resourceVersion;
                        break;
                    default:
                        throw change.ToException();
                }
            }
        }
        catch (KubernetesException e) when (e.IsGone)
        {
            // Too old to resume from (as an ERROR event or as HTTP 410): read the object as it is now.
            return (await client.GetAsync(ResourceType.Invalidations, ns, name, cancellationToken), null);
        }

        return (null, resourceVersion);
    }
}
