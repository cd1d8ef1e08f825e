namespace EdgeFleet.Kubernetes.Testing;

/// <summary>
/// What the authorization hook of <see cref="FakeApiServer"/> is asked about, in RBAC's terms:
/// verb (get, list, watch, create, update, patch, delete), API group, resource (plural),
/// subresource, namespace and name.
/// </summary>
public sealed record ApiRequest(
    string User, string Verb, string Group, string Resource, string? Subresource, string? Namespace, string? Name);
