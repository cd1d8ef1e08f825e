using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeFleet.Kubernetes;

/// <summary>
/// Records core/v1 Events about an object (what <c>kubectl describe</c> lists). Recording is best
/// effort, as in client-go: a failure is logged and reported as false, never thrown, because an
/// event must not fail the reconcile that produced it.
/// </summary>
public sealed partial class EventRecorder
{
    /// <summary>Event type for routine happenings.</summary>
    public const string Normal = "Normal";

    /// <summary>Event type for something a user should look at.</summary>
    public const string Warning = "Warning";

    private readonly KubernetesClient _client;
    private readonly string _component;
    private readonly string _instance;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Events are attributed to <paramref name="component"/> (e.g. <c>edgefleet-operator</c>) and <paramref name="instance"/> (the pod name).</summary>
    public EventRecorder(
        KubernetesClient client, string component, string? instance = null, TimeProvider? time = null, ILogger<EventRecorder>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        _client = client;
        _component = component;
        _instance = instance ?? Environment.MachineName;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<EventRecorder>.Instance;
    }

    /// <summary>
    /// Records an event about <paramref name="regarding"/> (an object as read from the server, so it
    /// has apiVersion, kind, uid). <paramref name="reason"/> is a PascalCase word.
    /// </summary>
    public async Task<bool> RecordAsync(
        JsonObject regarding, string type, string reason, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(regarding);
        var now = _time.GetUtcNow();
        var name = regarding.Name() ?? "unknown";
        var ns = regarding.Namespace() ?? _client.DefaultNamespace;
        var stamp = KubernetesTime.Format(now);
        var ev = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject
            {
                // client-go's convention: the object's name and a unique hex suffix.
                ["name"] = $"{name}.{now.UtcTicks.ToString("x", CultureInfo.InvariantCulture)}{Random.Shared.Next(0x1000):x3}",
                ["namespace"] = ns,
            },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = (string?)regarding["apiVersion"],
                ["kind"] = (string?)regarding["kind"],
                ["name"] = name,
                ["namespace"] = regarding.Namespace(),
                ["uid"] = regarding.Uid(),
                ["resourceVersion"] = regarding.ResourceVersion(),
            },
            ["type"] = type,
            ["reason"] = reason,
            ["message"] = message,
            ["count"] = 1,
            ["firstTimestamp"] = stamp,
            ["lastTimestamp"] = stamp,
            ["source"] = new JsonObject { ["component"] = _component, ["host"] = _instance },
            ["reportingComponent"] = _component,
            ["reportingInstance"] = _instance,
        };
        try
        {
            await _client.CreateAsync(ResourceType.Events, ev, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is KubernetesException or HttpRequestException or TimeoutException)
        {
            LogEventFailed(_logger, reason, ns, name, e.Message);
            return false;
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Could not record event {Reason} for {Namespace}/{Name}: {Error}")]
    private static partial void LogEventFailed(ILogger logger, string reason, string @namespace, string name, string error);
}
