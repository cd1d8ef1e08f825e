using System.Diagnostics;
using EdgeFleet.Kubernetes;
using EdgeFleet.TestSupport;

namespace EdgeFleet.Kubectl.Tests;

/// <summary>
/// The built plugin through the real kubectl (/usr/bin/kubectl): found on PATH by name, started as
/// a process, its exit codes passed through to the caller.
/// </summary>
public sealed class KubectlPluginDiscoveryTests : PluginFixture
{
    private const string Kubectl = "/usr/bin/kubectl";

    // Only the plugin in a PATH folder of its own: kubectl warns about (and fails on) every other
    // file named kubectl-* that is not an executable, such as kubectl-edgefleet.dll next to it.
    private readonly string _pluginDirectory;

    public KubectlPluginDiscoveryTests()
    {
        _pluginDirectory = Directory.CreateDirectory(Path.Combine(TempDirectory, "path")).FullName;
        // The plugin's own build output (built as a reference of this project), not the copy in this
        // project's folder: that one would resolve its dependencies against the test's frameworks.
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var appHost = Path.Combine(RepositoryPaths.Root, "src", "EdgeFleet.Kubectl", "bin", baseDirectory.Parent!.Name, baseDirectory.Name, "kubectl-edgefleet");
        Assert.True(File.Exists(appHost), $"the plugin's executable is not at {appHost}");
        File.CreateSymbolicLink(Path.Combine(_pluginDirectory, "kubectl-edgefleet"), appHost);
    }

    [Fact]
    public async Task PluginList_PluginOnPath_IsFound()
    {
        var result = await KubectlAsync("plugin", "list");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(Path.Combine(_pluginDirectory, "kubectl-edgefleet"), result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ThroughKubectl_ListsTheCommands()
    {
        var result = await KubectlAsync("edgefleet", "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("invalidate <edgecache>", result.Out, StringComparison.Ordinal);
        Assert.Contains("status <edgecache>", result.Out, StringComparison.Ordinal);
        Assert.Contains("--all-namespaces", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalidate_ThroughKubectl_CreatesInvalidation()
    {
        await SeedEdgeCacheAsync("www");

        var result = await KubectlAsync("edgefleet", "invalidate", "www", "--prefix", "/news/", "--kubeconfig", Kubeconfig);

        Assert.True(result.ExitCode == 0, result.ToString());
        var created = Assert.Single(Server.List(ResourceType.Invalidations));
        Assert.Equal($"invalidation.edgefleet.io/{created.Name()} created\n", result.Out);
    }

    [Fact]
    public async Task Invalidate_ThroughKubectlForbidden_ExitCodeReachesTheCaller()
    {
        await SeedEdgeCacheAsync("www");
        Server.AddUser("viewer-token", "viewer");
        Server.Authorize = request => request.User == "admin" || request.Verb is "get" or "list" or "watch";

        var result = await KubectlAsync("edgefleet", "invalidate", "www", "--url", "/a", "--kubeconfig", KubeconfigFor("viewer-token", "viewer"));

        Assert.Equal(ExitCodes.Forbidden, result.ExitCode);
        Assert.StartsWith("error: forbidden: User \"viewer\" cannot create resource \"invalidations\"", result.Error, StringComparison.Ordinal);
    }

    private async Task<PluginResult> KubectlAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PATH"] = _pluginDirectory + Path.PathSeparator + "/usr/local/bin:/usr/bin:/bin";
        // The plugin's launcher needs to find the .NET runtime this test runs on.
        start.Environment["DOTNET_ROOT"] = DotnetRoot();
        start.Environment["KUBECONFIG"] = Kubeconfig;
        start.Environment["HOME"] = _pluginDirectory;
        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new PluginResult(process.ExitCode, await output, await error);
    }

    // <root>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll
    private static string DotnetRoot() =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
}
