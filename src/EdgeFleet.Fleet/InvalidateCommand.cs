using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeFleet.Fleet;

/// <summary>
/// <c>invalidate --url|--prefix|--tag ... [--soft] [--wait]</c>: posts a fleet-wide invalidation to
/// a shield of the local fleet (the next one if it does not answer; it forwards to its peers)
/// and, with <c>--wait</c>, prints its progress until it is complete.
/// </summary>
internal static class InvalidateCommand
{
    public static async Task<int> RunAsync(FleetManifest fleet, List<string> urls, List<string> prefixes, List<string> tags, bool soft, bool wait, TimeSpan timeout)
    {
        // The fleet is on loopback: an http_proxy in the user's environment must not be used.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fleet.AdminToken);
        var body = new { urls, prefixes, tags, soft };
        string? id = null;
        string? shieldAdmin = null;
        foreach (var shield in fleet.Shields)
        {
            try
            {
                using var response = await http.PostAsJsonAsync(shield.Admin + "/admin/invalidations", body);
                var text = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode)
                {
                    await Console.Error.WriteLineAsync($"{shield.Name} refused the invalidation: {(int)response.StatusCode} {text.Trim()}");
                    return 2;
                }

                id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetString();
                shieldAdmin = shield.Admin;
                Console.WriteLine($"invalidation {id} accepted by {shield.Name}");
                break;
            }
            catch (HttpRequestException ex)
            {
                await Console.Error.WriteLineAsync($"{shield.Name} did not answer ({ex.Message}); trying the next shield");
            }
        }

        if (id is null)
        {
            await Console.Error.WriteLineAsync("no shield accepted the invalidation");
            return 1;
        }

        if (!wait)
        {
            return 0;
        }

        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < timeout)
        {
            try
            {
                var status = await http.GetFromJsonAsync<JsonElement>($"{shieldAdmin}/admin/invalidations/{id}");
                var line = $"targeted {status.GetProperty("targeted")}, acknowledged {status.GetProperty("acknowledged")}, expired {status.GetProperty("expired")}";
                if (line != last)
                {
                    Console.WriteLine($"  {clock.ElapsedMilliseconds,6} ms  {line}");
                    last = line;
                }

                if (status.GetProperty("complete").GetBoolean())
                {
                    Console.WriteLine($"complete in {status.GetProperty("durationMs")} ms");
                    return 0;
                }
            }
            catch (HttpRequestException ex)
            {
                Console.WriteLine($"  {clock.ElapsedMilliseconds,6} ms  status not available: {ex.Message}");
            }

            await Task.Delay(50);
        }

        await Console.Error.WriteLineAsync($"not complete after {timeout.TotalSeconds} s");
        return 1;
    }
}
