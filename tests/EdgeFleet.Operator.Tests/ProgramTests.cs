using System.Diagnostics;
using System.Net;
using EdgeFleet.Kubernetes;
using EdgeFleet.Kubernetes.Testing;

namespace EdgeFleet.Operator.Tests;

/// <summary>The operator as a real process (the built program), pointed at the API server double by a kubeconfig.</summary>
public sealed class ProgramTests : IAsyncLifetime
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "EdgeFleet.Operator.dll");
    private readonly string _kubeconfig = Path.Combine(Path.GetTempPath(), $"edgefleet-operator-{Guid.NewGuid():N}.kubeconfig");
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
    private OperatorHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await OperatorHarness.StartAsync(startOperator: false);
        KubeconfigWriter.Write(_kubeconfig, _h.Server);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        File.Delete(_kubeconfig);
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task Main_AgainstTheDouble_LeadsReconcilesServesMetricsAndReleasesTheLeaseOnSigterm()
    {
        var port = Loopback.FreePort();
        using var process = Start(
            "--kubeconfig", _kubeconfig, "--metrics-listen", $"http://127.0.0.1:{port}", "--identity", "operator-proc", "--namespace", "default");
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await OperatorHarness.EventuallyAsync(() => ReadyzSaysLeading(port), "/readyz to say leading");
            Assert.Equal("ok\n", await _http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/healthz")));
            Assert.Equal("operator-proc", (string?)_h.Get(ResourceType.Leases, "edgefleet-operator")!["spec"]!["holderIdentity"]);

            await _h.CreateFleetAsync();
            await OperatorHarness.EventuallyAsync(() => _h.Get(ResourceType.StatefulSets, "www-shield") is not null, "the fleet");

            // The reconcile is counted and timed once it has finished, which may be just after the
            // StatefulSet appears; the count and the duration are two recordings a scrape may fall between.
            var metrics = "";
            await OperatorHarness.EventuallyAsync(
                () => (metrics = _http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics")).GetAwaiter().GetResult())
                    .Contains("edgefleet_operator_reconciles_total{controller=\"edgecache\"", StringComparison.Ordinal)
                    && metrics.Contains("edgefleet_operator_reconcile_duration_seconds_bucket{controller=\"edgecache\"", StringComparison.Ordinal),
                "a counted and timed reconcile");
            Assert.Contains("edgefleet_operator_reconciles_total{controller=\"edgecache\",result=\"success\"}", metrics, StringComparison.Ordinal);
            Assert.Contains("edgefleet_operator_reconcile_duration_seconds_bucket{controller=\"edgecache\"", metrics, StringComparison.Ordinal);
            Assert.Contains("edgefleet_operator_queue_depth{controller=\"invalidation\"}", metrics, StringComparison.Ordinal);
            Assert.Contains("edgefleet_kubernetes_requests_total", metrics, StringComparison.Ordinal);

            using (var term = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exit.Token);
            Assert.True(process.ExitCode == 0, await stderr);
            Assert.True(string.IsNullOrEmpty((string?)_h.Get(ResourceType.Leases, "edgefleet-operator")!["spec"]!["holderIdentity"]), "the lease is released");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Theory]
    [InlineData("--metrics-listen", "ftp://127.0.0.1:1", "Operator:MetricsListen (--metrics-listen)")]
    [InlineData("--workers", "0", "Operator:Workers must be between 1 and 64")]
    [InlineData("--leader-elect-typo", "true", "unknown option --leader-elect-typo")]
    public async Task Main_BadFlag_Exit2NamingIt(string flag, string value, string expected)
    {
        using var process = Start("--kubeconfig", _kubeconfig, flag, value);
        var stderr = process.StandardError.ReadToEndAsync();
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(exit.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains(expected, await stderr, StringComparison.Ordinal);
    }

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Program);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("the operator did not start");
        process.OutputDataReceived += (_, _) => { }; // drain, so a full pipe never blocks the operator
        process.BeginOutputReadLine();
        return process;
    }

    private bool ReadyzSaysLeading(int port)
    {
        try
        {
            using var response = _http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz")).GetAwaiter().GetResult();
            return response.StatusCode == HttpStatusCode.OK && response.Content.ReadAsStringAsync().GetAwaiter().GetResult().Contains("leading", StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
