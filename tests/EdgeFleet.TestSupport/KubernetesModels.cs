using System.Diagnostics;
using System.Text.Json.Nodes;

namespace EdgeFleet.TestSupport;

/// <summary>
/// Runs build/validate-k8s.mjs (the official Kubernetes OpenAPI schemas, through the npm package
/// kubernetes-models) with node, the same check `make test` and the chart tests use.
/// </summary>
public static class KubernetesModels
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static KubernetesModelsResult ValidatePaths(params string[] paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var modules = Path.Combine(RepositoryPaths.Root, ".tools", "node_modules", "kubernetes-models");
        if (!Directory.Exists(modules))
        {
            throw new InvalidOperationException($"{modules} is missing: run build/deps.sh (make deps) before the tests");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.ArgumentList.Add(RepositoryPaths.ValidateScript);
        foreach (var path in paths)
        {
            start.ArgumentList.Add(path);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"validate-k8s.mjs did not finish within {Timeout}");
        }

        return new KubernetesModelsResult(process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Writes the objects as one multi-document file (JSON is YAML) and validates it.</summary>
    public static KubernetesModelsResult ValidateObjects(IEnumerable<JsonNode> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var file = Path.Combine(Path.GetTempPath(), $"edgefleet-objects-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(file, string.Join("\n---\n", objects.Select(o => o.ToJsonString())) + "\n");
            return ValidatePaths(file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
