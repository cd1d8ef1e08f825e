using System.Text.Json.Nodes;

namespace EdgeFleet.Api.Schema;

/// <summary>The edgefleet.io CRDs by apiVersion and kind, to validate and default objects before use.</summary>
public sealed class CrdCatalog
{
    private static readonly Lazy<CrdCatalog> EmbeddedCatalog = new(LoadEmbedded);
    private readonly Dictionary<(string ApiVersion, string Kind), CustomResourceSchema> _byKind;

    public CrdCatalog(IEnumerable<CustomResourceSchema> schemas)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        _byKind = schemas.ToDictionary(s => (s.ApiVersion, s.Kind));
    }

    /// <summary>The CRDs of crds/ as compiled into this assembly.</summary>
    public static CrdCatalog Embedded => EmbeddedCatalog.Value;

    public IReadOnlyCollection<CustomResourceSchema> Schemas => _byKind.Values;

    public CustomResourceSchema? Find(string? apiVersion, string? kind) =>
        apiVersion is not null && kind is not null && _byKind.TryGetValue((apiVersion, kind), out var schema) ? schema : null;

    /// <summary>The schema of the object's kind, or an exception naming what is unknown.</summary>
    public CustomResourceSchema For(JsonNode obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var apiVersion = obj["apiVersion"]?.GetValue<string>();
        var kind = obj["kind"]?.GetValue<string>();
        return Find(apiVersion, kind) ?? throw new ArgumentException($"no CRD for apiVersion {apiVersion} kind {kind}", nameof(obj));
    }

    private static CrdCatalog LoadEmbedded()
    {
        var assembly = typeof(CrdCatalog).Assembly;
        var schemas = new List<CustomResourceSchema>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("crds/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            schemas.Add(CustomResourceSchema.FromCrd(YamlDocuments.Parse(reader.ReadToEnd()).Single()!));
        }

        return new CrdCatalog(schemas);
    }
}
