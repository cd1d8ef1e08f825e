using System.Text.Json.Nodes;
using EdgeFleet.Kubernetes;
using EdgeFleet.Operator.Builders;

namespace EdgeFleet.Operator.Controllers;

/// <summary>
/// The informers the operator's reconcilers read from: the three custom resources, every Secret (an
/// Origin may name any), and the kinds the operator owns, narrowed to what it manages by label.
/// </summary>
internal sealed class OperatorInformers
{
    public OperatorInformers(KubernetesClient client, string? @namespace, TimeProvider time, ILoggerFactory loggers)
    {
        ListWatch Informer(ResourceType type, string? selector = null) =>
            new(client, type, @namespace, selector, time, loggers.CreateLogger<ListWatch>());
        var managed = $"{FleetLabels.ManagedBy}={FleetLabels.Manager}";
        Origins = Informer(ResourceType.Origins);
        EdgeCaches = Informer(ResourceType.EdgeCaches);
        Invalidations = Informer(ResourceType.Invalidations);
        Secrets = Informer(ResourceType.Secrets);
        StatefulSets = Informer(ResourceType.StatefulSets, managed);
        Services = Informer(ResourceType.Services, managed);
        ConfigMaps = Informer(ResourceType.ConfigMaps, managed);
        PodDisruptionBudgets = Informer(ResourceType.PodDisruptionBudgets, managed);
    }

    public ListWatch Origins { get; }

    public ListWatch EdgeCaches { get; }

    public ListWatch Invalidations { get; }

    public ListWatch Secrets { get; }

    public ListWatch StatefulSets { get; }

    public ListWatch Services { get; }

    public ListWatch ConfigMaps { get; }

    public ListWatch PodDisruptionBudgets { get; }

    /// <summary>The kinds an EdgeCache owns besides its admin Secret, each with its informer.</summary>
    public IReadOnlyList<(ResourceType Type, ListWatch Informer)> OwnedTiers =>
    [
        (ResourceType.ConfigMaps, ConfigMaps),
        (ResourceType.Services, Services),
        (ResourceType.StatefulSets, StatefulSets),
        (ResourceType.PodDisruptionBudgets, PodDisruptionBudgets),
    ];

    public IReadOnlyList<ListWatch> All =>
        [Origins, EdgeCaches, Invalidations, Secrets, StatefulSets, Services, ConfigMaps, PodDisruptionBudgets];

    /// <summary>The informer holding objects of <paramref name="kind"/>, or null.</summary>
    public ListWatch? ForKind(string? kind) => kind switch
    {
        "Secret" => Secrets,
        "ConfigMap" => ConfigMaps,
        "Service" => Services,
        "StatefulSet" => StatefulSets,
        "PodDisruptionBudget" => PodDisruptionBudgets,
        _ => null,
    };

    /// <summary>Keys of the EdgeCaches in <paramref name="namespace"/> whose spec.originRef names <paramref name="origin"/>.</summary>
    public IEnumerable<string> EdgeCachesReferencing(string? @namespace, string origin) =>
        EdgeCaches.Items
            .Where(e => e.Namespace() == @namespace && (string?)e["spec"]?["originRef"]?["name"] == origin)
            .Select(e => e.Key());

    /// <summary>Keys of the Origins in <paramref name="namespace"/> that name the Secret <paramref name="secret"/>.</summary>
    public IEnumerable<string> OriginsReferencingSecret(string? @namespace, string secret) =>
        Origins.Items
            .Where(o => o.Namespace() == @namespace
                && ((string?)o["spec"]?["tls"]?["caSecretRef"]?["name"] == secret || (string?)o["spec"]?["notificationSecretRef"]?["name"] == secret))
            .Select(o => o.Key());

    /// <summary>The <c>namespace/name</c> of the EdgeCache that controls <paramref name="obj"/>, or null.</summary>
    public static string? ControllingEdgeCache(JsonObject obj)
    {
        if (obj.Metadata()["ownerReferences"] is not JsonArray references)
        {
            return null;
        }

        var owner = references.OfType<JsonObject>().FirstOrDefault(r =>
            r["controller"] is JsonValue c && c.TryGetValue(out bool controller) && controller
            && (string?)r["kind"] == Api.EdgeFleetApi.EdgeCacheKind
            && (string?)r["apiVersion"] == Api.EdgeFleetApi.ApiVersion);
        return owner is null ? null : KubernetesObjectExtensions.KeyOf(obj.Namespace(), (string?)owner["name"] ?? "");
    }
}
