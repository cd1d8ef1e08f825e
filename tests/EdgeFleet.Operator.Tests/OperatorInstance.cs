using EdgeFleet.Kubernetes;
using EdgeFleet.Operator.Controllers;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeFleet.Operator.Tests;

/// <summary>One operator replica run in-process against the double, with its own client (and user).</summary>
internal sealed class OperatorInstance : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly KubernetesClient _client;
    private readonly HttpClient _shieldHttp = new(new SocketsHttpHandler { UseProxy = false });
    private readonly ControllerMetrics _metrics = new();
    private readonly Task _run;

    public OperatorInstance(KubernetesClientConfiguration configuration, OperatorOptions options, Reconcilers.IShieldEndpoints shields, Reconcilers.IEdgeEndpoints edges, string identity)
    {
        _client = new KubernetesClient(configuration, OperatorHarness.ClientOptions);
        Runtime = new OperatorRuntime(_client, options, shields, edges, _shieldHttp, TimeProvider.System, NullLoggerFactory.Instance, _metrics, identity);
        _run = Task.Run(() => Runtime.RunAsync(_stop.Token));
    }

    public OperatorRuntime Runtime { get; }

    /// <summary>Completed when the runtime returned (stopped, or lost leadership).</summary>
    public Task Run => _run;

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await StopAsync();
        }

        _stop.Dispose();
        _client.Dispose();
        _shieldHttp.Dispose();
        _metrics.Dispose();
    }
}
