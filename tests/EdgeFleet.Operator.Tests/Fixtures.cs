using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeFleet.Api;
using EdgeFleet.Api.Schema;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Operator.Builders;
using EdgeFleet.TestSupport;

namespace EdgeFleet.Operator.Tests;

/// <summary>The examples as the operator would read them from the API server (defaulted, with a uid).</summary>
internal static class Fixtures
{
    public const string Uid = "6f0c1a52-0d4b-4a8e-9d55-2c1b2f0e4a11";
    public const string Token = "test-admin-token";

    public static BuilderOptions Options { get; } = new();

    public static Origin Origin() => Load<Origin>("origin.yaml");

    public static EdgeCache EdgeCache(string file = "edgecache.yaml") => Load<EdgeCache>(file) with
    {
        Metadata = Load<EdgeCache>(file).Metadata with { Uid = Uid, Generation = 3 },
    };

    public static T Load<T>(string file)
    {
        var manifest = YamlDocuments.ParseFile(Path.Combine(RepositoryPaths.Examples, file)).Single()!;
        var defaulted = CrdCatalog.Embedded.For(manifest).ApplyDefaults(manifest)!;
        return defaulted.Deserialize<T>(EdgeFleetJson.Options)!;
    }

    public static IReadOnlyList<JsonObject> Fleet(Origin? origin = null, EdgeCache? edgeCache = null) =>
        FleetBuilder.Build(origin ?? Origin(), edgeCache ?? EdgeCache(), Token, Options);

    public static JsonObject Find(IEnumerable<JsonObject> objects, string kind, string name) =>
        objects.Single(o => o["kind"]!.GetValue<string>() == kind && o["metadata"]!["name"]!.GetValue<string>() == name);

    public static string Json(JsonNode? node) => node?.ToJsonString() ?? "null";
}
