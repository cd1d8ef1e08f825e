using System.Text.Json.Nodes;
using EdgeFleet.Api.Schema;
using EdgeFleet.Kubernetes;
using EdgeFleet.Kubernetes.Testing;
using EdgeFleet.TestSupport;

namespace EdgeFleet.Operator.Tests;

/// <summary>
/// The API server double with the CRDs' schemas enforced, a fake shield, edge pods set by the test,
/// an admin client for the test's own reads and writes, and (unless told otherwise) one operator
/// replica without leader election. Waits are bounded polls, never fixed sleeps.
/// </summary>
internal sealed class OperatorHarness : IAsyncDisposable
{
    public const string Namespace = "default";

    private readonly List<OperatorInstance> _instances = [];

    private OperatorHarness(FakeApiServer server, FakeShieldServer shield)
    {
        Server = server;
        Shield = shield;
        Client = new KubernetesClient(server.ClientConfiguration(), ClientOptions);
    }

    public static KubernetesClientOptions ClientOptions { get; } = new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        RequestTimeout = TimeSpan.FromSeconds(20),
    };

    public FakeApiServer Server { get; }

    public FakeShieldServer Shield { get; }

    /// <summary>The edge pods the operator purges directly when an EdgeCache has no shields; none until the test sets them.</summary>
    public StaticEdgeEndpoints Edges { get; } = new();

    public KubernetesClient Client { get; }

    /// <summary>The first operator started, if any.</summary>
    public OperatorInstance Operator => _instances[0];

    public static async Task<OperatorHarness> StartAsync(bool startOperator = true)
    {
        var server = await FakeApiServer.StartAsync();
        foreach (var type in new[] { ResourceType.Origins, ResourceType.EdgeCaches, ResourceType.Invalidations })
        {
            server.SetValidator(type, ValidateAgainstCrd);
        }

        var harness = new OperatorHarness(server, await FakeShieldServer.StartAsync());
        if (startOperator)
        {
            harness.StartOperator();
        }

        return harness;
    }

    /// <summary>Options with short intervals, so tests finish quickly, and leader election off.</summary>
    public static OperatorOptions FastOptions() => new()
    {
        LeaderElection = false,
        PollInterval = TimeSpan.FromMilliseconds(200),
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromSeconds(1),
        ShieldRetryDelay = TimeSpan.FromMilliseconds(10),
        ShieldTimeout = TimeSpan.FromSeconds(5),
        LeaseDuration = TimeSpan.FromSeconds(3),
        RenewDeadline = TimeSpan.FromSeconds(2),
        LeaderElectionRetryPeriod = TimeSpan.FromMilliseconds(200),
    };

    public OperatorInstance StartOperator(OperatorOptions? options = null, string identity = "operator-0", string? token = null)
    {
        var instance = new OperatorInstance(
            Server.ClientConfiguration(token), options ?? FastOptions(), new StaticShieldEndpoints(Shield.BaseAddress), Edges, identity);
        _instances.Add(instance);
        return instance;
    }

    /// <summary>The CRD schema as the API server applies it: a wrong manifest is a 422 naming the field.</summary>
    public static IReadOnlyList<FieldViolation> ValidateAgainstCrd(JsonObject obj) =>
        CrdCatalog.Embedded.Find((string?)obj["apiVersion"], (string?)obj["kind"]) is { } schema
            ? schema.Validate(obj).Select(e => new FieldViolation(e.Path, e.Message)).ToList()
            : [new FieldViolation("kind", "no CRD serves this kind")];

    /// <summary>Creates the manifest of <c>examples/</c> as kubectl would, defaulted as the API server stores custom resources.</summary>
    public async Task<JsonObject> CreateExampleAsync(string file, Action<JsonObject>? edit = null)
    {
        var manifest = (JsonObject)YamlDocuments.ParseFile(Path.Combine(RepositoryPaths.Examples, file)).Single()!;
        edit?.Invoke(manifest);
        return await CreateAsync(manifest);
    }

    public async Task<JsonObject> CreateAsync(JsonObject manifest)
    {
        var type = TypeOf(manifest);
        if (CrdCatalog.Embedded.Find((string?)manifest["apiVersion"], (string?)manifest["kind"]) is { } schema)
        {
            manifest = (JsonObject)schema.ApplyDefaults(manifest)!;
        }

        return await Client.CreateAsync(type, manifest);
    }

    /// <summary>The Secrets the example Origin names, so that it is valid.</summary>
    public async Task CreateOriginSecretsAsync()
    {
        await Client.CreateAsync(ResourceType.Secrets, Secret("origin-ca", "ca.crt", "-----BEGIN CERTIFICATE-----"));
        await Client.CreateAsync(ResourceType.Secrets, Secret("www-origin-notify", "token", "notify-token"));
    }

    /// <summary>Origin (with its Secrets) and EdgeCache from examples/, then waits for every StatefulSet.</summary>
    public async Task CreateFleetAsync(string edgeCacheFile = "edgecache.yaml")
    {
        await CreateOriginSecretsAsync();
        await CreateExampleAsync("origin.yaml");
        await CreateExampleAsync(edgeCacheFile);
    }

    public static JsonObject Secret(string name, string key, string value) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
        ["type"] = "Opaque",
        ["data"] = new JsonObject { [key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value)) },
    };

    public JsonObject? Get(ResourceType type, string name) => Server.Get(type, Namespace, name);

    /// <summary>What the StatefulSet controller and kubelet would report once <paramref name="ready"/> pods run the current template.</summary>
    public async Task SetStatefulSetStatusAsync(string name, int? ready = null, bool updated = true)
    {
        var sts = Get(ResourceType.StatefulSets, name) ?? throw new InvalidOperationException($"no StatefulSet {name}");
        var replicas = sts["spec"]!["replicas"]!.GetValue<int>();
        var status = new JsonObject
        {
            ["observedGeneration"] = sts.Generation(),
            ["replicas"] = replicas,
            ["readyReplicas"] = ready ?? replicas,
            ["availableReplicas"] = ready ?? replicas,
            ["updatedReplicas"] = updated ? replicas : 0,
            ["currentReplicas"] = replicas,
        };
        await Client.PatchStatusAsync(ResourceType.StatefulSets, Namespace, name, new JsonObject { ["status"] = status });
    }

    public async Task SetAllReadyAsync(string edgeCache = "www")
    {
        foreach (var sts in Server.List(ResourceType.StatefulSets).Where(s => s.Label("app.kubernetes.io/instance") == edgeCache))
        {
            await SetStatefulSetStatusAsync(sts.Name()!);
        }
    }

    /// <summary>The condition of the given type in an object's status, or null.</summary>
    public static JsonObject? Condition(JsonObject? obj, string type) =>
        (obj?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);

    /// <summary>Requests that changed something (every method but GET), leader Leases aside.</summary>
    public int Writes() => Server.Requests.Count(r => r.Method != "GET" && !r.Path.Contains("/leases", StringComparison.Ordinal));

    public static async Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            try
            {
                await Task.Delay(20, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"timed out waiting for: {what}");
            }
        }
    }

    /// <summary>Waits until the operator's queues are empty and nothing is in process or scheduled.</summary>
    public Task IdleAsync(OperatorInstance? instance = null)
    {
        var runtime = (instance ?? Operator).Runtime;
        return EventuallyAsync(() => runtime.IsIdle, "the operator to go idle");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        Client.Dispose();
        await Shield.DisposeAsync();
        await Server.DisposeAsync();
    }

    private static ResourceType TypeOf(JsonObject manifest) => (string?)manifest["kind"] switch
    {
        "Origin" => ResourceType.Origins,
        "EdgeCache" => ResourceType.EdgeCaches,
        "Invalidation" => ResourceType.Invalidations,
        "Secret" => ResourceType.Secrets,
        var kind => throw new ArgumentException($"the harness does not create {kind}", nameof(manifest)),
    };
}
