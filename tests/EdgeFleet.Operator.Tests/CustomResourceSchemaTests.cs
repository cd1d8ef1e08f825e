using EdgeFleet.Api.Schema;
using EdgeFleet.Kubernetes;
using EdgeFleet.TestSupport;

namespace EdgeFleet.Operator.Tests;

/// <summary>The CRD schemas plugged into the API server double: wrong manifests are refused before any controller sees them.</summary>
public sealed class CustomResourceSchemaTests : IAsyncLifetime
{
    private OperatorHarness _h = null!;

    public async Task InitializeAsync() => _h = await OperatorHarness.StartAsync(startOperator: false);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    public static TheoryData<string> InvalidExamples() =>
        new(Directory.GetFiles(RepositoryPaths.InvalidExamples, "*.yaml")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(f => !f.StartsWith("cel-", StringComparison.Ordinal)) // CEL rules need a real API server
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(InvalidExamples))]
    public async Task Create_InvalidExample_Refused422WithTheDocumentedMessage(string file)
    {
        var path = Path.Combine(RepositoryPaths.InvalidExamples, file);
        var expected = File.ReadLines(path).First(l => l.StartsWith("# expect: ", StringComparison.Ordinal))["# expect: ".Length..];
        var manifest = (System.Text.Json.Nodes.JsonObject)YamlDocuments.ParseFile(path).Single()!;

        var e = await Assert.ThrowsAsync<KubernetesException>(() => _h.CreateAsync(manifest));

        Assert.Equal(422, e.Code);
        Assert.Equal("Invalid", e.Reason);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateStatus_OutsideTheSchema_Refused()
    {
        await _h.CreateOriginSecretsAsync();
        var origin = await _h.CreateExampleAsync("origin.yaml");
        origin["status"] = new System.Text.Json.Nodes.JsonObject { ["observedGeneration"] = -1 };

        var e = await Assert.ThrowsAsync<KubernetesException>(() => _h.Client.UpdateStatusAsync(ResourceType.Origins, origin));

        Assert.Equal(422, e.Code);
        Assert.Contains("status.observedGeneration", e.Message, StringComparison.Ordinal);
    }
}
