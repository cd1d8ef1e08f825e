using EdgeFleet.Api.Schema;

namespace EdgeFleet.Api.Tests;

/// <summary>examples/ validate against the CRDs; examples/invalid/ are refused with the message their comment names.</summary>
public sealed class ExamplesTests
{
    public static TheoryData<string> Valid => ExampleFiles.Names(ExampleFiles.Valid());

    public static TheoryData<string> Invalid => ExampleFiles.Names(ExampleFiles.Invalid().Where(p => ExampleFiles.Expectation(p, "expect") is not null));

    public static TheoryData<string> RefusedByCel => ExampleFiles.Names(ExampleFiles.Invalid().Where(p => ExampleFiles.Expectation(p, "expect-cel") is not null));

    [Fact]
    public void Examples_CoverEveryKindAndTheInvalidCases()
    {
        var kinds = ExampleFiles.Valid().Select(p => ExampleFiles.Load(p)["kind"]!.GetValue<string>()).ToHashSet();

        Assert.Equal(["EdgeCache", "Invalidation", "Origin"], kinds.Order(StringComparer.Ordinal));
        Assert.True(Invalid.Count >= 8, "examples/invalid/ needs its refused manifests");
        Assert.All(ExampleFiles.Invalid(), p => Assert.True(
            ExampleFiles.Expectation(p, "expect") is not null ^ ExampleFiles.Expectation(p, "expect-cel") is not null,
            $"{p} needs exactly one '# expect:' or '# expect-cel:' comment"));
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void Example_AgainstItsCrd_IsAccepted(string file)
    {
        var manifest = ExampleFiles.Load(Path.Combine(TestSupport.RepositoryPaths.Examples, file));
        var schema = CrdCatalog.Embedded.For(manifest);

        Assert.Empty(schema.Validate(manifest));
        Assert.Empty(schema.Validate(schema.ApplyDefaults(manifest)));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidExample_AgainstItsCrd_IsRefusedNamingTheField(string file)
    {
        var path = Path.Combine(TestSupport.RepositoryPaths.InvalidExamples, file);
        var manifest = ExampleFiles.Load(path);

        var errors = CrdCatalog.Embedded.For(manifest).Validate(manifest).Select(e => e.ToString()).ToList();

        var expected = ExampleFiles.Expectation(path, "expect")!;
        Assert.True(errors.Any(e => e.StartsWith(expected, StringComparison.Ordinal)), $"expected '{expected}', got: {string.Join(" | ", errors)}");
    }

    [Theory]
    [MemberData(nameof(RefusedByCel))]
    public void CelOnlyExample_PassesTheOpenApiSchema_AndItsRuleExists(string file)
    {
        var path = Path.Combine(TestSupport.RepositoryPaths.InvalidExamples, file);
        var manifest = ExampleFiles.Load(path);
        var schema = CrdCatalog.Embedded.For(manifest);
        var expected = ExampleFiles.Expectation(path, "expect-cel")!;
        var separator = expected.IndexOf(": ", StringComparison.Ordinal);

        Assert.Empty(schema.Validate(manifest));
        Assert.Contains(schema.ValidationRules, r => r.Path == expected[..separator] && r.Message == expected[(separator + 2)..]);
    }
}
