using System.Text.Json.Nodes;
using EdgeFleet.Api;
using EdgeFleet.Api.Schema;
using EdgeFleet.Kubernetes;
using EdgeFleet.Kubernetes.Testing;

namespace EdgeFleet.Kubectl.Tests;

/// <summary>
/// A fresh API server double per test (xunit makes one class instance per test) that validates
/// Invalidations against the CRD's OpenAPI schema, an admin client to seed and drive it, and a
/// kubeconfig the plugin reads as it would a cluster's.
/// </summary>
public abstract class PluginFixture : IAsyncLifetime
{
    protected const string Namespace = "shop";

    private readonly string _directory = Directory.CreateTempSubdirectory("edgefleet-kubectl-").FullName;

    /// <summary>A folder of this test's own, removed after it.</summary>
    protected string TempDirectory => _directory;

    protected FakeApiServer Server { get; private set; } = null!;

    protected KubernetesClient Admin { get; private set; } = null!;

    /// <summary>The admin's kubeconfig, default namespace <see cref="Namespace"/>.</summary>
    protected string Kubeconfig { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await FakeApiServer.StartAsync();
        var schema = CrdCatalog.Embedded.Find(EdgeFleetApi.ApiVersion, EdgeFleetApi.InvalidationKind)!.OpenApiSchema;
        Server.SetValidator(ResourceType.Invalidations, obj =>
            [.. SchemaValidator.Validate(schema, obj).Select(e => new FieldViolation(e.Path, e.Message))]);
        Admin = new KubernetesClient(Server.ClientConfiguration(@namespace: Namespace));
        Kubeconfig = KubeconfigFor(Server.AdminToken);
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A kubeconfig for another user of the double.</summary>
    protected string KubeconfigFor(string token, string name = "config") =>
        KubeconfigWriter.Write(Path.Combine(_directory, name), Server.BaseAddress, token, Namespace);

    /// <summary>Runs the plugin in this process with the admin's kubeconfig (unless the args name one).</summary>
    protected Task<PluginResult> RunAsync(params string[] args) => RunAsync(args, CancellationToken.None);

    protected async Task<PluginResult> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var kubeconfig = Kubeconfig;
        // The environment of a user whose KUBECONFIG points at the double; nothing of this machine's.
        var console = new PluginConsole(output, error, name => name == "KUBECONFIG" ? kubeconfig : null, TimeProvider.System);
        var code = await PluginCommand.RunAsync(args, console, cancellationToken);
        return new PluginResult(code, output.ToString(), error.ToString());
    }

    protected Task<JsonObject> SeedEdgeCacheAsync(string name, string ns = Namespace, JsonObject? status = null) =>
        SeedAsync(ResourceType.EdgeCaches, KubernetesJson.Parse($$"""
            {
              "apiVersion": "edgefleet.io/v1alpha1", "kind": "EdgeCache",
              "metadata": { "name": "{{name}}", "namespace": "{{ns}}" },
              "spec": {
                "originRef": { "name": "www" },
                "regions": [
                  { "name": "eu", "replicas": 3, "dnsName": "eu.cdn.example.com" },
                  { "name": "us", "replicas": 2, "dnsName": "us.cdn.example.com" }
                ],
                "shield": { "replicas": 2 },
                "cache": { "memorySize": "256Mi", "diskSize": "1Gi", "useEmptyDir": true }
              }
            }
            """), status);

    protected Task<JsonObject> SeedInvalidationAsync(string name, string edgeCache, string ns = Namespace, JsonObject? status = null) =>
        SeedAsync(ResourceType.Invalidations, KubernetesJson.Parse($$"""
            {
              "apiVersion": "edgefleet.io/v1alpha1", "kind": "Invalidation",
              "metadata": { "name": "{{name}}", "namespace": "{{ns}}" },
              "spec": { "edgeCacheRef": { "name": "{{edgeCache}}" }, "prefixes": ["/news/"], "mode": "hard" }
            }
            """), status);

    /// <summary>Writes an Invalidation's status as the operator would (merge patch of /status).</summary>
    protected Task<JsonObject> SetStatusAsync(string name, string phase, long acknowledged, long targeted, string? failure = null)
    {
        var status = new JsonObject { ["phase"] = phase, ["acknowledged"] = acknowledged, ["targeted"] = targeted };
        if (failure is not null)
        {
            status["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = ConditionTypes.Ready,
                ["status"] = ConditionStatus.False,
                ["reason"] = "ShieldUnreachable",
                ["message"] = failure,
                ["lastTransitionTime"] = "2026-01-01T00:00:00Z",
            });
        }

        return Admin.PatchStatusAsync(ResourceType.Invalidations, Namespace, name, new JsonObject { ["status"] = status });
    }

    /// <summary>Waits (bounded) until the plugin has created an Invalidation, and returns it.</summary>
    protected async Task<JsonObject> CreatedInvalidationAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (Server.List(ResourceType.Invalidations).SingleOrDefault() is { } created)
            {
                return created;
            }

            await Task.Delay(20, deadline.Token);
        }
    }

    private async Task<JsonObject> SeedAsync(ResourceType type, JsonObject obj, JsonObject? status)
    {
        var created = await Admin.CreateAsync(type, obj);
        return status is null
            ? created
            : await Admin.PatchStatusAsync(type, created.Namespace(), created.Name()!, new JsonObject { ["status"] = status });
    }
}
