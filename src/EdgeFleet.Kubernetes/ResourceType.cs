namespace EdgeFleet.Kubernetes;

/// <summary>
/// Addresses one kind of resource on the API server: group, version, plural (the URL segment) and
/// kind, plus whether objects live in a namespace. The constants cover what the operator and the
/// plugin touch; any other type can be described with the constructor.
/// </summary>
public sealed record ResourceType(string Group, string Version, string Plural, string Kind, bool Namespaced = true)
{
    /// <summary>The API group of the EdgeFleet custom resources.</summary>
    public const string EdgeFleetGroup = "edgefleet.io";

    /// <summary>The served version of the EdgeFleet custom resources.</summary>
    public const string EdgeFleetVersion = "v1alpha1";

    public static readonly ResourceType Pods = new("", "v1", "pods", "Pod");
    public static readonly ResourceType Services = new("", "v1", "services", "Service");
    public static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", "ConfigMap");
    public static readonly ResourceType Secrets = new("", "v1", "secrets", "Secret");

    /// <summary>Core v1 events: what <c>kubectl describe</c> shows under "Events".</summary>
    public static readonly ResourceType Events = new("", "v1", "events", "Event");
    public static readonly ResourceType Namespaces = new("", "v1", "namespaces", "Namespace", Namespaced: false);
    public static readonly ResourceType StatefulSets = new("apps", "v1", "statefulsets", "StatefulSet");
    public static readonly ResourceType PodDisruptionBudgets = new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget");
    public static readonly ResourceType Leases = new("coordination.k8s.io", "v1", "leases", "Lease");
    public static readonly ResourceType Origins = new(EdgeFleetGroup, EdgeFleetVersion, "origins", "Origin");
    public static readonly ResourceType EdgeCaches = new(EdgeFleetGroup, EdgeFleetVersion, "edgecaches", "EdgeCache");
    public static readonly ResourceType Invalidations = new(EdgeFleetGroup, EdgeFleetVersion, "invalidations", "Invalidation");

    /// <summary>The types above, for a server double or a discovery-free client to register.</summary>
    public static IReadOnlyList<ResourceType> WellKnown { get; } =
    [
        Pods, Services, ConfigMaps, Secrets, Events, Namespaces, StatefulSets, PodDisruptionBudgets, Leases,
        Origins, EdgeCaches, Invalidations,
    ];

    /// <summary><c>apiVersion</c> as written in an object: <c>v1</c> for core, <c>group/version</c> otherwise.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The name RBAC and error messages use: <c>plural</c> or <c>plural.group</c>.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>
    /// The URL path of a collection or of one object, e.g. <c>/apis/apps/v1/namespaces/ns/statefulsets/name/status</c>.
    /// A null namespace on a namespaced type addresses all namespaces (list and watch only).
    /// </summary>
    public string Path(string? @namespace, string? name = null, string? subresource = null)
    {
        var path = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        if (Namespaced && !string.IsNullOrEmpty(@namespace))
        {
            path += "/namespaces/" + Uri.EscapeDataString(@namespace);
        }

        path += "/" + Plural;
        if (!string.IsNullOrEmpty(name))
        {
            path += "/" + Uri.EscapeDataString(name);
            if (!string.IsNullOrEmpty(subresource))
            {
                path += "/" + subresource;
            }
        }

        return path;
    }
}
