using System.Text.Json.Nodes;
using EdgeFleet.Api;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Kubernetes;
using EdgeFleet.Operator.Conditions;
using EdgeFleet.Operator.Controllers;

namespace EdgeFleet.Operator.Reconcilers;

/// <summary>
/// Checks what the API server's schema cannot: that the Secrets an Origin names exist and hold the
/// named keys. Writes Ready and Degraded with the reason (e.g. <c>SecretNotFound</c>) and hands
/// every EdgeCache that references the Origin to its controller, since their configuration is
/// rendered from it. Watches Origins, and Secrets through the Origins that name them.
/// </summary>
internal sealed partial class OriginReconciler : IReconciler
{
    public const string ControllerName = "origin";

    private readonly KubernetesClient _client;
    private readonly OperatorInformers _informers;
    private readonly Action<string> _enqueueEdgeCache;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public OriginReconciler(KubernetesClient client, OperatorInformers informers, Action<string> enqueueEdgeCache, TimeProvider time, ILogger logger)
    {
        _client = client;
        _informers = informers;
        _enqueueEdgeCache = enqueueEdgeCache;
        _time = time;
        _logger = logger;
    }

    public string Name => ControllerName;

    public async Task<ReconcileResult> ReconcileAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        // Whether the Origin appeared, changed or went away, the EdgeCaches built from it must look again.
        foreach (var edgeCache in _informers.EdgeCachesReferencing(@namespace, name))
        {
            _enqueueEdgeCache(edgeCache);
        }

        var obj = await _client.GetOrNullAsync(ResourceType.Origins, @namespace, name, cancellationToken);
        if (obj is null || obj.DeletionTimestamp() is not null)
        {
            return ReconcileResult.Done;
        }

        var origin = StatusWriter.Read<Origin>(obj);
        var problem = FindProblem(@namespace, origin.Spec);
        var generation = origin.Metadata.Generation;
        Condition[] computed = problem is { } p
            ? [ConditionFactory.Make(ConditionTypes.Ready, false, p.Reason, p.Message, generation), ConditionFactory.Make(ConditionTypes.Degraded, true, p.Reason, p.Message, generation)]
            :
            [
                ConditionFactory.Make(ConditionTypes.Ready, true, ConditionReasons.ReferencesResolved, "every Secret the Origin names exists", generation),
                ConditionFactory.Make(ConditionTypes.Degraded, false, ConditionReasons.AsExpected, "nothing is wrong", generation),
            ];
        var status = new OriginStatus
        {
            ObservedGeneration = generation,
            Conditions = ConditionSet.Merge(origin.Status?.Conditions, computed, _time.GetUtcNow()),
        };
        if (StatusComparer.StatusChanged(origin.Status, status))
        {
            await StatusWriter.WriteIfChangedAsync(_client, ResourceType.Origins, obj, origin.Status, status, cancellationToken);
            LogStatus(_logger, @namespace, name, problem?.Reason ?? ConditionReasons.ReferencesResolved);
        }

        return ReconcileResult.Done;
    }

    private (string Reason, string Message)? FindProblem(string @namespace, OriginSpec spec)
    {
        if (spec.Tls?.CaSecretRef is { } ca && CheckSecret(@namespace, ca.Name, ca.Key, "spec.tls.caSecretRef") is { } caProblem)
        {
            return caProblem;
        }

        if (spec.NotificationSecretRef is { } notify && CheckSecret(@namespace, notify.Name, notify.Key, "spec.notificationSecretRef") is { } notifyProblem)
        {
            return notifyProblem;
        }

        return null;
    }

    private (string Reason, string Message)? CheckSecret(string @namespace, string secretName, string key, string field)
    {
        if (!_informers.Secrets.TryGet(@namespace, secretName, out var secret) || secret is null)
        {
            return (ConditionReasons.SecretNotFound, $"{field}: Secret \"{secretName}\" not found in namespace {@namespace}");
        }

        var hasKey = (secret["data"] as JsonObject)?.ContainsKey(key) == true || (secret["stringData"] as JsonObject)?.ContainsKey(key) == true;
        return hasKey ? null : (ConditionReasons.SecretKeyNotFound, $"{field}: Secret \"{secretName}\" has no key \"{key}\"");
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Origin {Namespace}/{Name}: status written ({Reason})")]
    private static partial void LogStatus(ILogger logger, string @namespace, string name, string reason);
}
