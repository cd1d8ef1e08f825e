using System.Text.Json.Nodes;
using EdgeFleet.Api.Schema;

namespace EdgeFleet.Kubectl.Tests;

public sealed class GetCommandTests : PluginFixture
{
    [Fact]
    public async Task Get_Invalidations_PrintsTableOfTheNamespace()
    {
        await SeedInvalidationAsync("www-b", "www", status: new JsonObject { ["phase"] = "InProgress", ["acknowledged"] = 2, ["targeted"] = 5 });
        await SeedInvalidationAsync("www-a", "www", status: new JsonObject { ["phase"] = "Complete", ["acknowledged"] = 5, ["targeted"] = 5 });
        await SeedInvalidationAsync("other", "img", ns: "elsewhere");

        var result = await RunAsync("get", "invalidations");

        Assert.True(result.ExitCode == 0, result.ToString());
        var rows = Rows(result.Out);
        Assert.Equal(["NAME", "EDGECACHE", "MODE", "PHASE", "ACKED", "TARGETED", "AGE"], rows[0]);
        Assert.Equal(["www-a", "www", "hard", "Complete", "5", "5"], rows[1][..6]);
        Assert.Equal(["www-b", "www", "hard", "InProgress", "2", "5"], rows[2][..6]);
        Assert.Matches("^[0-9]+s$", rows[1][6]);
        Assert.Equal(3, rows.Length);
    }

    [Fact]
    public async Task Get_AllNamespaces_AddsNamespaceColumn()
    {
        await SeedInvalidationAsync("www-a", "www");
        await SeedInvalidationAsync("img-a", "img", ns: "elsewhere");

        var result = await RunAsync("get", "inv", "-A");

        Assert.True(result.ExitCode == 0, result.ToString());
        var rows = Rows(result.Out);
        Assert.Equal("NAMESPACE", rows[0][0]);
        Assert.Equal(["elsewhere", "img-a", "img", "hard", "Pending", "-", "-"], rows[1][..7]);
        Assert.Equal(["shop", "www-a", "www", "hard", "Pending", "-", "-"], rows[2][..7]);
    }

    [Fact]
    public async Task Get_OutputYaml_PrintsListThatParsesBack()
    {
        await SeedInvalidationAsync("www-a", "www", status: new JsonObject { ["phase"] = "Complete", ["acknowledged"] = 3, ["targeted"] = 3 });
        await SeedInvalidationAsync("www-b", "www");

        var result = await RunAsync("get", "invalidations", "-o", "yaml");

        Assert.True(result.ExitCode == 0, result.ToString());
        var list = Assert.Single(YamlDocuments.Parse(result.Out))!;
        Assert.Equal("List", (string?)list["kind"]);
        var items = list["items"]!.AsArray();
        Assert.Equal(["www-a", "www-b"], items.Select(i => (string?)i!["metadata"]!["name"]));
        Assert.Equal(3, (long)items[0]!["status"]!["acknowledged"]!);
        Assert.Equal("/news/", (string?)items[0]!["spec"]!["prefixes"]![0]);
    }

    [Fact]
    public async Task Get_OneByNameAsJson_PrintsTheObject()
    {
        await SeedInvalidationAsync("www-a", "www");

        var result = await RunAsync("get", "invalidation", "www-a", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var obj = JsonNode.Parse(result.Out)!;
        Assert.Equal("Invalidation", (string?)obj["kind"]);
        Assert.Equal("www-a", (string?)obj["metadata"]!["name"]);
    }

    [Fact]
    public async Task Get_OneThatDoesNotExist_ExitsNotFound()
    {
        var result = await RunAsync("get", "invalidations", "gone");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Equal("error: not found: invalidations.edgefleet.io \"gone\" not found\n", result.Error);
    }

    [Fact]
    public async Task Get_NoneInNamespace_SaysSoOnStderr()
    {
        var result = await RunAsync("get", "invalidations", "-n", "empty");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal("No resources found in empty namespace.\n", result.Error);
    }

    [Fact]
    public async Task Get_UnknownResource_ExitsUsage()
    {
        var result = await RunAsync("get", "pods");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("pods", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ListForbidden_ExitsForbidden()
    {
        Server.AddUser("nobody-token", "nobody");
        Server.Authorize = request => request.User == "admin";

        var result = await RunAsync("get", "invalidations", "--kubeconfig", KubeconfigFor("nobody-token", "nobody"));

        Assert.Equal(ExitCodes.Forbidden, result.ExitCode);
        Assert.Equal(
            "error: forbidden: User \"nobody\" cannot list resource \"invalidations\" in API group \"edgefleet.io\" in the namespace \"shop\"\n",
            result.Error);
    }

    private static string[][] Rows(string table) =>
        [.. table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
}
