using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeFleet.Fleet.Tests;

/// <summary>
/// The local fleet (runner, origin, two shields, four edges) started once for a test class, with
/// a 5-second lease, UPDATEs for any object of at most 1,000 bytes, on a random port range.
/// </summary>
public sealed class LocalFleetFixture : IAsyncLifetime
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    private readonly string _artifacts = Path.Combine(Path.GetTempPath(), "edgefleet-fleet-tests-" + Guid.NewGuid().ToString("n")[..8]);
    private ServerProcess? _runner;

    public FleetManifest Fleet { get; private set; } = new();

    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    public string ManifestPath => Path.Combine(_artifacts, "fleet.json");

    public async Task InitializeAsync()
    {
        // A port taken by another program makes the runner stop at once (exit code 3); then the
        // fleet is started again on another range.
        for (var attempt = 1; ; attempt++)
        {
            _runner = ServerProcess.Start(ServerProcess.RunnerDll,
            [
                "run", "--base-port", BasePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--lease-duration", "00:00:05", "--artifacts", _artifacts,
                "--quiet", "--duration", "600",
                "--cache-arg", "--EdgeFleet:Notices:UpdateMaxBytes=1000", "--cache-arg", "--EdgeFleet:Notices:UpdateMinRequestsPerMinute=0",
            ]);
            var runner = _runner;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(150);
            while (!File.Exists(ManifestPath) && !runner.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            if (File.Exists(ManifestPath))
            {
                break;
            }

            runner.Dispose();
            if (attempt == 3 || !runner.HasExited)
            {
                throw new TimeoutException($"the local fleet did not become ready (attempt {attempt}); the runner said:{Environment.NewLine}{runner.Output}");
            }
        }

        Fleet = FleetManifest.Load(ManifestPath);
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Fleet.AdminToken);
    }

    public Task DisposeAsync()
    {
        if (_runner is not null)
        {
            // SIGTERM lets the runner stop its processes.
            ServerProcess.Signal("TERM", _runner.Pid);
            Thread.Sleep(1500);
            _runner.Dispose();
        }

        Http.Dispose();
        try
        {
            Directory.Delete(_artifacts, recursive: true);
        }
        catch (IOException)
        {
            // A log still being written; the temp folder is cleaned up later.
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A base port for the runner's range (base to base+222), below the kernel's ephemeral range so
    /// that the outgoing connections of tests running alongside cannot hold one of its ports.
    /// </summary>
    private static int BasePort()
    {
        var ephemeralLow = 32768;
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            ephemeralLow = int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Not Linux: keep the usual default.
        }

        var slots = Math.Max(1, (ephemeralLow - 300 - 10000) / 250);
        return 10000 + (Random.Shared.Next(0, slots) * 250);
    }

    public async Task PutAsync(string path, string body, string tags = "")
    {
        using var content = new StringContent(body);
        using var response = await Http.PutAsync($"{Fleet.Origin.Public}{path}?tags={Uri.EscapeDataString(tags)}", content);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Reads an object from an edge twice over, so that it is stored (the first fill may not be admitted) and leased.</summary>
    public async Task WarmAsync(string path)
    {
        foreach (var edge in Fleet.Edges)
        {
            for (var i = 0; i < 2; i++)
            {
                (await GetAsync(edge.Public, path)).Dispose();
            }
        }
    }

    public async Task<HttpResponseMessage> GetAsync(string edge, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, edge + path);
        return await Http.SendAsync(request);
    }

    public async Task<string> BodyAsync(string edge, string path)
    {
        using var response = await GetAsync(edge, path);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<string> InvalidateAsync(object body, string? shieldAdmin = null)
    {
        using var response = await Http.PostAsJsonAsync((shieldAdmin ?? Fleet.Shields.First().Admin) + "/admin/invalidations", body);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public async Task<JsonElement> WaitCompleteAsync(string id, string? shieldAdmin = null, TimeSpan? timeout = null)
    {
        JsonElement status = default;
        await Waits.UntilAsync(
            async () =>
            {
                status = await Http.GetFromJsonAsync<JsonElement>($"{shieldAdmin ?? Fleet.Shields.First().Admin}/admin/invalidations/{id}");
                return status.GetProperty("complete").GetBoolean();
            },
            timeout ?? TimeSpan.FromSeconds(30),
            $"invalidation {id} to complete");
        return status;
    }

    public async Task<JsonElement> StatusAsync(string admin) => await Http.GetFromJsonAsync<JsonElement>(admin + "/admin/fleet");

    public async Task<long> OriginRequestsAsync() =>
        (await Http.GetFromJsonAsync<JsonElement>(Fleet.Origin.Public + "/stats")).GetProperty("originRequests").GetInt64();
}
