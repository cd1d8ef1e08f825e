using EdgeFleet.Kubernetes.Testing;

namespace EdgeFleet.Kubernetes.Tests;

/// <summary>A fresh double and an admin client per test class instance (xunit makes one per test).</summary>
public abstract class ApiServerFixture : IAsyncLifetime
{
    protected FakeApiServer Server { get; private set; } = null!;

    protected KubernetesClient Client { get; private set; } = null!;

    protected static KubernetesClientOptions FastRetries { get; } = new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        RequestTimeout = TimeSpan.FromSeconds(20),
    };

    public async Task InitializeAsync()
    {
        Server = await FakeApiServer.StartAsync();
        Client = new KubernetesClient(Server.ClientConfiguration(), FastRetries);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    protected KubernetesClient ClientFor(string token) => new(Server.ClientConfiguration(token), FastRetries);

    protected static System.Text.Json.Nodes.JsonObject ConfigMap(string name, string ns = "default", string? app = null)
    {
        var obj = KubernetesJson.Parse($$$"""{"metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},"data":{"k":"v"}}""");
        if (app is not null)
        {
            obj.Metadata()["labels"] = new System.Text.Json.Nodes.JsonObject { ["app"] = app };
        }

        return obj;
    }

    protected static System.Text.Json.Nodes.JsonObject EdgeCache(string name, int replicas = 2) =>
        KubernetesJson.Parse($$$"""{"metadata":{"name":"{{{name}}}","namespace":"default"},"spec":{"replicas":{{{replicas}}},"origin":"web"}}""");

    /// <summary>Waits for a condition driven by background work, failing after a generous bound.</summary>
    protected static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"timed out waiting for: {what}");
            }
        }
    }
}
