using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeFleet.Api.Schema;
using EdgeFleet.TestSupport;

namespace EdgeFleet.Kubectl.Tests;

/// <summary>
/// docs/kubernetes.md promises commands a user can paste: the manifests in it must pass the CRDs'
/// OpenAPI validation, and every plugin command it shows must parse.
/// </summary>
public sealed partial class KubernetesGuideTests
{
    private static readonly string Guide = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "kubernetes.md"));

    [Fact]
    public void Manifests_InTheGuide_PassTheCrdSchemas()
    {
        var documents = HeredocPattern().Matches(Guide)
            .SelectMany(m => YamlDocuments.Parse(m.Groups[1].Value))
            .OfType<JsonObject>()
            .ToList();

        Assert.Equal(["Origin", "EdgeCache"], documents.Select(d => (string?)d["kind"]));
        foreach (var document in documents)
        {
            var schema = CrdCatalog.Embedded.For(document);
            Assert.Empty(SchemaValidator.Validate(schema.OpenApiSchema, document));
        }
    }

    [Fact]
    public void PluginCommands_InTheGuide_Parse()
    {
        var commands = PluginCommandPattern().Matches(Guide).Select(m => m.Groups[1].Value).ToList();
        var root = PluginCommand.Build(new PluginConsole(TextWriter.Null, TextWriter.Null, _ => null, TimeProvider.System));

        Assert.True(commands.Count >= 4, string.Join("\n", commands));
        foreach (var command in commands)
        {
            var parse = root.Parse(command);
            Assert.True(parse.Errors.Count == 0, $"{command}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        }
    }

    [GeneratedRegex(@"<<'YAML'[^\n]*\n(.*?)\nYAML\n", RegexOptions.Singleline)]
    private static partial Regex HeredocPattern();

    [GeneratedRegex(@"^kubectl edgefleet (.+)$", RegexOptions.Multiline)]
    private static partial Regex PluginCommandPattern();
}
