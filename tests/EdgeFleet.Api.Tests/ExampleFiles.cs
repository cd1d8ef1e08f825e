using System.Text.Json.Nodes;
using EdgeFleet.Api.Schema;
using EdgeFleet.TestSupport;

namespace EdgeFleet.Api.Tests;

/// <summary>The manifests under examples/ and examples/invalid/, with the expectations their comments state.</summary>
internal static class ExampleFiles
{
    public static IEnumerable<string> Valid() =>
        Directory.GetFiles(RepositoryPaths.Examples, "*.yaml").Order(StringComparer.Ordinal);

    public static IEnumerable<string> Invalid() =>
        Directory.GetFiles(RepositoryPaths.InvalidExamples, "*.yaml").Order(StringComparer.Ordinal);

    public static JsonNode Load(string path) => YamlDocuments.ParseFile(path).Single()!;

    /// <summary>The text after "# expect: " or "# expect-cel: " in the file's comments, if any.</summary>
    public static string? Expectation(string path, string marker) =>
        File.ReadLines(path).Where(l => l.StartsWith($"# {marker}: ", StringComparison.Ordinal))
            .Select(l => l[($"# {marker}: ".Length)..]).SingleOrDefault();

    public static TheoryData<string> Names(IEnumerable<string> paths)
    {
        var data = new TheoryData<string>();
        foreach (var path in paths)
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }
}
