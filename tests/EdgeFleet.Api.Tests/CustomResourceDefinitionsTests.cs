using System.Text.Json.Nodes;
using EdgeFleet.Api.Schema;
using EdgeFleet.TestSupport;

namespace EdgeFleet.Api.Tests;

/// <summary>The CRD files in crds/: valid CustomResourceDefinitions, structural, and as documented.</summary>
public sealed class CustomResourceDefinitionsTests
{
    // Short names of built-in resources (and of widely installed add-ons) ours must not shadow.
    private static readonly string[] TakenShortNames =
    [
        "cm", "cs", "csr", "ds", "deploy", "ep", "ev", "hpa", "ing", "limits", "netpol", "no", "ns", "pc", "pdb",
        "po", "psp", "pv", "pvc", "quota", "rc", "rs", "sa", "sc", "sts", "svc", "crd", "crds", "cert", "certs",
    ];

    public static TheoryData<string> Plurals => new() { "origins", "edgecaches", "invalidations" };

    [Fact]
    public void Crds_ValidatedWithKubernetesModels_AreValidCustomResourceDefinitions()
    {
        var result = KubernetesModels.ValidatePaths(RepositoryPaths.Crds);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("3 documents, 0 invalid", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void KubernetesModels_BrokenCrd_IsRefusedNamingTheField()
    {
        var crd = YamlDocuments.ParseFile(RepositoryPaths.Crd("origins")).Single()!;
        crd["spec"]!["scope"] = 42;

        var result = KubernetesModels.ValidateObjects([crd]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("spec.scope: must be string", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Plurals))]
    public void Crd_Conventions_GroupVersionScopeNamesAndSubresources(string plural)
    {
        var crd = CustomResourceSchema.FromFile(RepositoryPaths.Crd(plural)).Definition;
        var spec = crd["spec"]!;

        Assert.Equal($"{plural}.edgefleet.io", crd["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(EdgeFleetApi.Group, spec["group"]!.GetValue<string>());
        Assert.Equal("Namespaced", spec["scope"]!.GetValue<string>());
        Assert.Equal(plural, spec["names"]!["plural"]!.GetValue<string>());
        Assert.Equal(["edgefleet"], spec["names"]!["categories"]!.AsArray().Select(n => n!.GetValue<string>()));
        var version = Assert.Single(spec["versions"]!.AsArray())!;
        Assert.Equal(EdgeFleetApi.Version, version["name"]!.GetValue<string>());
        Assert.True(version["served"]!.GetValue<bool>() && version["storage"]!.GetValue<bool>());
        Assert.NotNull(version["subresources"]!["status"]);
        var shortName = Assert.Single(spec["names"]!["shortNames"]!.AsArray())!.GetValue<string>();
        Assert.DoesNotContain(shortName, TakenShortNames);
    }

    [Theory]
    [MemberData(nameof(Plurals))]
    public void Crd_Status_HasObservedGenerationAndMetaV1Conditions(string plural)
    {
        var status = CustomResourceSchema.FromFile(RepositoryPaths.Crd(plural)).OpenApiSchema["properties"]!["status"]!;
        var conditions = status["properties"]!["conditions"]!;
        var item = conditions["items"]!;

        Assert.Equal("integer", status["properties"]!["observedGeneration"]!["type"]!.GetValue<string>());
        Assert.Equal("map", conditions["x-kubernetes-list-type"]!.GetValue<string>());
        Assert.Equal(
            ["lastTransitionTime", "message", "observedGeneration", "reason", "status", "type"],
            item["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["type", "status", "lastTransitionTime", "reason", "message"], item["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["True", "False", "Unknown"], item["properties"]!["status"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Theory]
    [InlineData("origins", "URL,Ready,Age")]
    [InlineData("edgecaches", "Origin,Regions,Pods,Ready,Age")]
    [InlineData("invalidations", "EdgeCache,Mode,Phase,Acked,Targeted,Age")]
    public void Crd_PrinterColumns_AsDocumented(string plural, string columns)
    {
        var schema = CustomResourceSchema.FromFile(RepositoryPaths.Crd(plural));

        var names = schema.VersionDefinition["additionalPrinterColumns"]!.AsArray().Select(c => c!["name"]!.GetValue<string>());

        Assert.Equal(columns, string.Join(',', names));
    }

    [Theory]
    [MemberData(nameof(Plurals))]
    public void Crd_StructuralSchemaRules_NoProblems(string plural)
    {
        var problems = StructuralSchemaChecker.Check(CustomResourceSchema.FromFile(RepositoryPaths.Crd(plural)));

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("origins", "spec.tls", "caSecretRef has no effect when insecureSkipVerify is true")]
    [InlineData("origins", "spec.adaptivePolling", "minInterval must not exceed maxInterval")]
    [InlineData("edgecaches", "", "metadata.name and each region name together must not exceed 46 characters")]
    [InlineData("edgecaches", "", "metadata.name must be a DNS-1035 label")]
    [InlineData("edgecaches", "spec.regions", "each region needs its own dnsName")]
    [InlineData("edgecaches", "spec.cache", "storageClassName is required unless useEmptyDir is true")]
    [InlineData("edgecaches", "spec.updateStrategy", "rollingUpdate is allowed only when type is RollingUpdate")]
    [InlineData("edgecaches", "spec.regions[*].updateStrategy", "rollingUpdate is allowed only when type is RollingUpdate")]
    [InlineData("invalidations", "spec", "spec is immutable")]
    [InlineData("invalidations", "spec", "at least one of urls, prefixes or tags is required")]
    public void Crd_CelRules_PresentWhereNeeded(string plural, string path, string message)
    {
        var rules = CustomResourceSchema.FromFile(RepositoryPaths.Crd(plural)).ValidationRules;

        Assert.Contains(rules, r => r.Path == path && r.Message!.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Invalidation_SpecImmutability_IsATransitionRuleOnSpec()
    {
        var rules = CustomResourceSchema.FromFile(RepositoryPaths.Crd("invalidations")).ValidationRules;

        var rule = Assert.Single(rules, r => r.Rule.Contains("oldSelf", StringComparison.Ordinal));
        Assert.Equal(("spec", "self == oldSelf"), (rule.Path, rule.Rule));
    }

    [Fact]
    public void EmbeddedCatalog_HoldsTheFilesOfCrds_Unchanged()
    {
        foreach (var plural in new[] { "origins", "edgecaches", "invalidations" })
        {
            var fromFile = CustomResourceSchema.FromFile(RepositoryPaths.Crd(plural));

            var embedded = CrdCatalog.Embedded.Find(fromFile.ApiVersion, fromFile.Kind);

            Assert.NotNull(embedded);
            Assert.True(JsonNode.DeepEquals(fromFile.Definition, embedded.Definition), $"{plural}: rebuild EdgeFleet.Api after editing crds/");
        }
    }
}
