using System.Text.Json.Nodes;

namespace EdgeFleet.Kubernetes.Testing;

/// <summary>A resource type the double serves, whether it has a status subresource, its defaulter and its validator.</summary>
internal sealed record ResourceRegistration(
    ResourceType Type, bool StatusSubresource, Func<JsonObject, IReadOnlyList<FieldViolation>>? Validate)
{
    /// <summary>Fills in defaults (as a CRD schema's <c>default</c>s) before validation; returns the object to store.</summary>
    public Func<JsonObject, JsonObject>? Default { get; init; }

    /// <summary>Objects are stored per group and plural, whatever version addressed them.</summary>
    public string StorageKey => $"{Type.Group}/{Type.Plural}";
}
