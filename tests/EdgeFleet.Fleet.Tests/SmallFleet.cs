using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeFleet.Fleet.Tests;

/// <summary>A demo origin, one shield and one edge started directly (no runner), for tests that restart or reconfigure them.</summary>
internal sealed class SmallFleet : IDisposable
{
    public const string Token = "small-fleet-token";

    private readonly List<ServerProcess> _processes = [];

    public SmallFleet(string[] shieldArgs, string[] edgeArgs, string? deadShield = null)
    {
        StateDirectory = Path.Combine(Path.GetTempPath(), "edgefleet-small-" + Guid.NewGuid().ToString("n")[..8]);
        Origin = ServerProcess.Url(ServerProcess.FreePort());
        ShieldPublic = ServerProcess.Url(ServerProcess.FreePort());
        ShieldAdmin = ServerProcess.Url(ServerProcess.FreePort());
        EdgePublic = ServerProcess.Url(ServerProcess.FreePort());
        EdgeAdmin = ServerProcess.Url(ServerProcess.FreePort());
        _processes.Add(ServerProcess.Start(ServerProcess.OriginDll, ["--urls", Origin]));
        Shield = ServerProcess.Start(ServerProcess.CacheDll,
            ["--role", "shield", "--origin", Origin, "--listen", ShieldPublic, "--admin-listen", ShieldAdmin, "--admin-token", Token, "--cache-name", "shield-1",
             "--state-dir", Path.Combine(StateDirectory, "shield"), .. shieldArgs]);
        _processes.Add(Shield);
        var shields = new List<string>();
        var i = 0;
        if (deadShield is not null)
        {
            shields.AddRange([$"--EdgeFleet:Shields:{i}={deadShield}", $"--EdgeFleet:ShieldAdmin:{i}={deadShield}"]);
            i++;
        }

        shields.AddRange([$"--EdgeFleet:Shields:{i}={ShieldPublic}", $"--EdgeFleet:ShieldAdmin:{i}={ShieldAdmin}"]);
        Edge = ServerProcess.Start(ServerProcess.CacheDll,
            ["--origin", Origin, "--listen", EdgePublic, "--admin-listen", EdgeAdmin, "--admin-token", Token, "--cache-name", "edge-1",
             "--state-dir", Path.Combine(StateDirectory, "edge"), .. shields, .. edgeArgs],
            new Dictionary<string, string> { ["PodName"] = "edge-1" });
        _processes.Add(Edge);
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public string StateDirectory { get; }

    public string Origin { get; }

    public string ShieldPublic { get; }

    public string ShieldAdmin { get; }

    public string EdgePublic { get; }

    public string EdgeAdmin { get; }

    public ServerProcess Shield { get; }

    public ServerProcess Edge { get; }

    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    public async Task WaitReadyAsync()
    {
        await Waits.UntilAsync(async () => (await Http.GetAsync(Origin + "/stats")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "the origin");
        await Waits.UntilAsync(async () => (await Http.GetAsync(ShieldAdmin + "/readyz")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "the shield");
        await Waits.UntilAsync(async () => (await Http.GetAsync(EdgeAdmin + "/readyz")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "the edge");
    }

    public async Task PutAsync(string path, string body)
    {
        using var content = new StringContent(body);
        (await Http.PutAsync(Origin + path, content)).EnsureSuccessStatusCode();
    }

    public async Task<string> GetAsync(string path) => await Http.GetStringAsync(EdgePublic + path);

    public async Task<JsonElement> StatusAsync(string admin) => await Http.GetFromJsonAsync<JsonElement>(admin + "/admin/fleet");

    /// <summary>Posts one invalidation per path, all before waiting, so that each finds the edge's lease still running.</summary>
    public async Task InvalidateAndWaitAsync(params string[] paths)
    {
        var ids = new List<string>();
        foreach (var path in paths)
        {
            using var response = await Http.PostAsJsonAsync(ShieldAdmin + "/admin/invalidations", new { urls = new[] { path } });
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }

        foreach (var id in ids)
        {
            await Waits.UntilAsync(
                async () => (await Http.GetFromJsonAsync<JsonElement>($"{ShieldAdmin}/admin/invalidations/{id}")).GetProperty("complete").GetBoolean(),
                TimeSpan.FromSeconds(60),
                "the invalidation to complete");
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        Http.Dispose();
        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned up with the temp folder.
        }
    }
}
