using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Kubernetes;
using EdgeFleet.Operator.Builders;
using EdgeFleet.Operator.Conditions;
using EdgeFleet.Operator.Controllers;

namespace EdgeFleet.Operator.Reconcilers;

/// <summary>
/// Keeps an EdgeCache's fleet as declared: the admin Secret (generated once), then per region and for
/// the shield tier a ConfigMap, a headless Service, a StatefulSet and a PodDisruptionBudget, applied
/// with server-side apply; objects of regions no longer in the spec are deleted; the status is
/// computed from the StatefulSets. Watches EdgeCaches and, through their controller owner reference,
/// every object it owns, so an edited or deleted object is put back.
/// </summary>
/// <remarks>
/// No finalizer: everything the operator creates for an EdgeCache lives in the cluster and carries a
/// controller owner reference to it, so the garbage collector removes the fleet (and, through the
/// StatefulSets' retention policy, the local volume claims) when the EdgeCache goes. Nothing outside
/// the cluster needs cleaning up, and a finalizer would only block deletion while the operator is down.
/// </remarks>
internal sealed partial class EdgeCacheReconciler : IReconciler
{
    public const string ControllerName = "edgecache";

    private readonly KubernetesClient _client;
    private readonly OperatorInformers _informers;
    private readonly BuilderOptions _builderOptions;
    private readonly RandomNumberGenerator _random;
    private readonly TimeSpan _pollInterval;
    private readonly EventRecorder _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public EdgeCacheReconciler(
        KubernetesClient client, OperatorInformers informers, BuilderOptions builderOptions, RandomNumberGenerator random,
        TimeSpan pollInterval, EventRecorder events, TimeProvider time, ILogger logger)
    {
        _client = client;
        _informers = informers;
        _builderOptions = builderOptions;
        _random = random;
        _pollInterval = pollInterval;
        _events = events;
        _time = time;
        _logger = logger;
    }

    public string Name => ControllerName;

    public async Task<ReconcileResult> ReconcileAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var obj = await _client.GetOrNullAsync(ResourceType.EdgeCaches, @namespace, name, cancellationToken);
        if (obj is null || obj.DeletionTimestamp() is not null)
        {
            return ReconcileResult.Done; // the garbage collector takes the fleet with it
        }

        var edgeCache = StatusWriter.Read<EdgeCache>(obj);
        var originObj = await _client.GetOrNullAsync(ResourceType.Origins, @namespace, edgeCache.Spec.OriginRef.Name, cancellationToken);
        if (originObj is null)
        {
            // Nothing can be rendered without the Origin; what runs keeps running, and the status says why.
            LogOriginMissing(_logger, @namespace, name, edgeCache.Spec.OriginRef.Name);
            await WriteStatusAsync(obj, edgeCache, originFound: false, Workloads(edgeCache, new Dictionary<string, JsonObject?>(), []), cancellationToken);
            return ReconcileResult.Done;
        }

        var origin = StatusWriter.Read<Origin>(originObj);
        var token = await ReadAdminTokenAsync(edgeCache, cancellationToken);
        var desired = FleetBuilder.Build(origin, edgeCache, token ?? AdminSecretBuilder.NewToken(_random), _builderOptions);
        if (token is null)
        {
            desired = await CreateAdminSecretAsync(origin, edgeCache, desired, cancellationToken);
        }

        var plan = await ApplyAsync(edgeCache, desired, cancellationToken);
        await DeleteRemovedAsync(obj, edgeCache, desired, cancellationToken);
        await WriteStatusAsync(obj, edgeCache, originFound: true, Workloads(edgeCache, plan.StatefulSets, plan.Deferred), cancellationToken);
        // A waiting tier moves on when the blocking StatefulSet's status changes (it is watched); the
        // poll is a safety net should that event be missed.
        return plan.Deferred.Count > 0 ? ReconcileResult.After(_pollInterval) : ReconcileResult.Done;
    }

    // An existing token is kept whatever else changes: rotating it by accident would lock the
    // operator and the fleet's pods out of each other's admin API.
    private async Task<string?> ReadAdminTokenAsync(EdgeCache edgeCache, CancellationToken cancellationToken)
    {
        var secret = await _client.GetOrNullAsync(ResourceType.Secrets, edgeCache.Metadata.Namespace, CacheTier.AdminSecretName(edgeCache), cancellationToken);
        return AdminToken.Read(secret);
    }

    private async Task<IReadOnlyList<JsonObject>> CreateAdminSecretAsync(
        Origin origin, EdgeCache edgeCache, IReadOnlyList<JsonObject> desired, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CreateAsync(ResourceType.Secrets, (JsonObject)desired[0].DeepClone(), OperatorRuntime.FieldManager, cancellationToken);
            var secretName = CacheTier.AdminSecretName(edgeCache);
            LogSecretCreated(_logger, edgeCache.Metadata.Namespace ?? "", secretName);
            return desired;
        }
        catch (KubernetesException e) when (e.IsAlreadyExists)
        {
            // Created meanwhile (or it exists without a token, which the apply below repairs): use what is there.
            var token = await ReadAdminTokenAsync(edgeCache, cancellationToken);
            return token is null ? desired : FleetBuilder.Build(origin, edgeCache, token, _builderOptions);
        }
    }


    /// <summary>
    /// Applies what differs, in the builders' order. A configuration change rolls one tier at a time:
    /// once a tier's StatefulSet exists and is not settled (every pod updated and ready), later tiers
    /// whose pods would be replaced wait, their ConfigMap and StatefulSet both untouched. New tiers and
    /// changes that replace no pod (Service, budget) are applied at once.
    /// </summary>
    private async Task<ApplyPlan> ApplyAsync(EdgeCache edgeCache, IReadOnlyList<JsonObject> desired, CancellationToken cancellationToken)
    {
        var statefulSets = new Dictionary<string, JsonObject?>(StringComparer.Ordinal);
        var deferred = new List<string>();
        string? blockedBy = null;
        var ns = edgeCache.Metadata.Namespace;
        foreach (var tier in desired.GroupBy(o => o.Name()!, StringComparer.Ordinal))
        {
            var live = tier.ToDictionary(o => (string)o["kind"]!, o => Live(o, ns), StringComparer.Ordinal);
            var sts = tier.FirstOrDefault(o => (string?)o["kind"] == "StatefulSet");
            var rolls = blockedBy is not null && sts is not null && live["StatefulSet"] is { } liveSts
                && (!DesiredState.Contains(liveSts["spec"]?["template"], sts["spec"]?["template"])
                    || (tier.FirstOrDefault(o => (string?)o["kind"] == "ConfigMap") is { } cm && !DesiredState.Contains(live["ConfigMap"]?["data"], cm["data"])));
            if (rolls)
            {
                LogDeferred(_logger, ns ?? "", tier.Key, blockedBy!);
                deferred.Add(tier.Key);
            }

            foreach (var obj in tier)
            {
                var kind = (string)obj["kind"]!;
                var current = live[kind];
                var waits = rolls && kind is "StatefulSet" or "ConfigMap";
                if (!waits && !DesiredState.IsSatisfiedBy(obj, current))
                {
                    current = await _client.ApplyAsync(TypeOf(kind), (JsonObject)obj.DeepClone(), OperatorRuntime.FieldManager, force: true, cancellationToken);
                    LogApplied(_logger, kind, ns ?? "", tier.Key);
                }

                if (kind == "StatefulSet")
                {
                    statefulSets[tier.Key] = current;
                    if (blockedBy is null && current is not null && !IsSettled(current))
                    {
                        blockedBy = tier.Key;
                    }
                }
            }
        }

        return new ApplyPlan(statefulSets, deferred);
    }

    private JsonObject? Live(JsonObject desired, string? @namespace) =>
        _informers.ForKind((string?)desired["kind"]) is { } informer && informer.TryGet(@namespace, desired.Name()!, out var live) ? live : null;

    /// <summary>Deletes what the EdgeCache controls but the spec no longer asks for (a removed region).</summary>
    private async Task DeleteRemovedAsync(JsonObject obj, EdgeCache edgeCache, IReadOnlyList<JsonObject> desired, CancellationToken cancellationToken)
    {
        var wanted = desired.Select(d => $"{d["kind"]}/{d.Name()}").ToHashSet(StringComparer.Ordinal);
        var key = obj.Key();
        foreach (var (type, informer) in _informers.OwnedTiers)
        {
            var stale = informer.Items
                .Where(o => o.Namespace() == edgeCache.Metadata.Namespace && OperatorInformers.ControllingEdgeCache(o) == key
                    && OwnerUid(o) == edgeCache.Metadata.Uid && !wanted.Contains($"{type.Kind}/{o.Name()}"))
                .ToList();
            foreach (var gone in stale)
            {
                var goneNamespace = gone.Namespace() ?? "";
                var goneName = gone.Name()!;
                try
                {
                    await _client.DeleteAsync(type, goneNamespace, goneName, new DeleteOptions { PropagationPolicy = "Background", PreconditionUid = gone.Uid() }, cancellationToken);
                    LogDeleted(_logger, type.Kind, goneNamespace, goneName);
                    await _events.RecordAsync(obj, EventRecorder.Normal, "Deleted", $"Deleted {type.Kind} {goneName}: its region is no longer in the spec", cancellationToken);
                }
                catch (KubernetesException e) when (e.IsNotFound || e.IsConflict)
                {
                    // Already gone, or replaced by a new object of the same name: nothing to delete.
                }
            }
        }
    }

    private static string? OwnerUid(JsonObject obj) =>
        (obj.Metadata()["ownerReferences"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(r => (bool?)r["controller"] == true)?["uid"]?.GetValue<string>();

    private static List<WorkloadStatus> Workloads(EdgeCache edgeCache, Dictionary<string, JsonObject?> applied, List<string> deferred)
    {
        var tiers = edgeCache.Spec.Regions.Select(r => (Tier: CacheTier.Edge(edgeCache, r), Name: r.Name))
            .Append((Tier: CacheTier.Shield(edgeCache), Name: WorkloadStatus.ShieldName));
        return tiers.Select(t =>
        {
            var sts = applied.TryGetValue(t.Tier.Name, out var s) ? s : null;
            var workload = WorkloadStatus.FromStatefulSet(t.Name, sts);

            // A tier waiting for its turn has none of its pods on the new template yet.
            return deferred.Contains(t.Tier.Name) ? workload with { Updated = 0 } : workload;
        }).ToList();
    }

    private async Task WriteStatusAsync(JsonObject obj, EdgeCache edgeCache, bool originFound, List<WorkloadStatus> workloads, CancellationToken cancellationToken)
    {
        if (!originFound)
        {
            // Report what runs from the informers' view, since nothing was applied.
            workloads = workloads.Select(w =>
            {
                var tierName = w.IsShield ? CacheTier.Shield(edgeCache).Name : $"{edgeCache.Metadata.Name}-edge-{w.Name}";
                return _informers.StatefulSets.TryGet(edgeCache.Metadata.Namespace, tierName, out var live)
                    ? WorkloadStatus.FromStatefulSet(w.Name, live)
                    : w;
            }).ToList();
        }

        var status = EdgeCacheStatusBuilder.Build(edgeCache, originFound, workloads, _time.GetUtcNow());
        try
        {
            await StatusWriter.WriteIfChangedAsync(_client, ResourceType.EdgeCaches, obj, edgeCache.Status, status, cancellationToken);
        }
        catch (KubernetesConflictException)
        {
            // The EdgeCache changed since we read it; that change has queued another reconcile.
            var key = obj.Key();
            LogStatusConflict(_logger, key);
        }
    }

    internal static bool IsSettled(JsonObject statefulSet)
    {
        var workload = WorkloadStatus.FromStatefulSet("", statefulSet);
        return workload.RolledOut && workload.AllReady;
    }

    private static ResourceType TypeOf(string kind) => kind switch
    {
        "Secret" => ResourceType.Secrets,
        "ConfigMap" => ResourceType.ConfigMaps,
        "Service" => ResourceType.Services,
        "StatefulSet" => ResourceType.StatefulSets,
        "PodDisruptionBudget" => ResourceType.PodDisruptionBudgets,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a kind the operator owns"),
    };

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "EdgeCache {Namespace}/{Name}: Origin {Origin} not found; nothing applied")]
    private static partial void LogOriginMissing(ILogger logger, string @namespace, string name, string origin);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Created the admin Secret {Namespace}/{Name}")]
    private static partial void LogSecretCreated(ILogger logger, string @namespace, string name);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Applied {Kind} {Namespace}/{Name}")]
    private static partial void LogApplied(ILogger logger, string kind, string @namespace, string name);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "Rollout of {Namespace}/{Tier} waits until {BlockedBy} has every pod updated and ready")]
    private static partial void LogDeferred(ILogger logger, string @namespace, string tier, string blockedBy);

    [LoggerMessage(EventId = 404, Level = LogLevel.Information, Message = "Deleted {Kind} {Namespace}/{Name}: no longer in the spec")]
    private static partial void LogDeleted(ILogger logger, string kind, string @namespace, string name);

    [LoggerMessage(EventId = 405, Level = LogLevel.Debug, Message = "EdgeCache {Key} changed while its status was computed; it is reconciled again")]
    private static partial void LogStatusConflict(ILogger logger, string key);

    private sealed record ApplyPlan(Dictionary<string, JsonObject?> StatefulSets, List<string> Deferred);
}
