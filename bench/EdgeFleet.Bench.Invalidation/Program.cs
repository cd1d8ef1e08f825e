using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeFleet.Bench.Invalidation;
using EdgeFleet.Fleet;

// `make bench-invalidation`: starts the local fleet with a short lease, leases 10,000 objects
// over the edges, keeps a read load on every edge that also checks for stale reads, and measures
// invalidations by URL, by prefix (1,000 objects) and by tag, and by URL while one edge is
// stopped with SIGSTOP. Writes artifacts/bench-invalidation.json.
var lease = args.Length > 0 ? TimeSpan.Parse(args[0], CultureInfo.InvariantCulture) : TimeSpan.FromSeconds(10);
var root = FindRoot();
var runnerDll = Path.Combine(root, "src", "EdgeFleet.Fleet", "bin", "Release", "net10.0", "EdgeFleet.Fleet.dll");
var artifacts = Path.Combine(root, "artifacts");
var manifestPath = Path.Combine(artifacts, "bench-fleet", "fleet.json");
Directory.CreateDirectory(Path.GetDirectoryName(manifestPath)!);
File.Delete(manifestPath);

// Objects read at least this often per minute at the shield are pushed (UPDATE): the hot ones,
// held by every edge, are; the others, held by one edge, are invalidated.
var updateMin = (int)(4 * 60 / lease.TotalSeconds * 0.5);
var runner = Process.Start(new ProcessStartInfo("dotnet")
{
    ArgumentList =
    {
        runnerDll, "run", "--base-port", "18000", "--lease-duration", lease.ToString("c", CultureInfo.InvariantCulture), "--artifacts", "artifacts/bench-fleet",
        "--quiet", "--duration", "900", "--admin-token", "bench-token",
        "--cache-arg", $"--EdgeFleet:Notices:UpdateMinRequestsPerMinute={updateMin}",
    },
    WorkingDirectory = root,
    UseShellExecute = false,
})!;

var results = new Dictionary<string, ScenarioResult>();
try
{
    var clock = Stopwatch.StartNew();
    while (!File.Exists(manifestPath))
    {
        if (clock.Elapsed > TimeSpan.FromMinutes(2) || runner.HasExited)
        {
            throw new InvalidOperationException("the fleet did not start; see artifacts/bench-fleet/fleet/*.log");
        }

        await Task.Delay(200);
    }

    var fleet = FleetManifest.Load(manifestPath);
    var edges = fleet.Edges.ToList();
    var shields = fleet.Shields.ToList();
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", fleet.AdminToken);
    var versions = new int[Program.Objects];

    Console.WriteLine($"fleet up: {shields.Count} shields, {edges.Count} edges, lease {lease.TotalSeconds} s, UPDATE from {updateMin} requests/min");
    await Parallel.ForEachAsync(Enumerable.Range(0, Program.Objects), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) => await Put(i, ct));

    // Lease every object at its edges (twice: the first fill may not be admitted to the store).
    var owners = Enumerable.Range(0, Program.Objects).Select(i => i < Program.Hot ? edges : [edges[i % edges.Count]]).ToArray();
    var checker = new ReadChecker(http, clock);
    for (var pass = 0; pass < 2; pass++)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, Program.Objects), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            foreach (var edge in owners[i])
            {
                await checker.ReadAsync(edge.Public, i, ct);
            }
        });
    }

    var leased = 0L;
    foreach (var edge in edges)
    {
        leased += (await Status(edge.Admin!)).GetProperty("leases").GetInt64();
    }

    Console.WriteLine($"{Program.Objects} objects, {leased} leases held by edges after warm-up ({checker.Reads} reads)");

    // The steady load: every edge reads each of its objects about once per lease period.
    using var stopLoad = new CancellationTokenSource();
    var load = edges.Select(edge => Task.Run(async () =>
    {
        var mine = Enumerable.Range(0, Program.Objects).Where(i => owners[i].Contains(edge)).ToArray();
        var random = new Random(edge.Name.GetHashCode(StringComparison.Ordinal));
        while (!stopLoad.IsCancellationRequested)
        {
            var cycle = Stopwatch.StartNew();
            await Parallel.ForEachAsync(mine.OrderBy(_ => random.Next()), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = stopLoad.Token }, async (i, ct) =>
                await checker.ReadAsync(edge.Public, i, ct)).ContinueWith(_ => { }, TaskScheduler.Default);
            var rest = (lease * 0.9) - cycle.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, stopLoad.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    })).ToList();
    await Task.Delay(lease);

    var random = new Random(42);

    // One unmeasured invalidation of each kind first, so that no measured one pays for JIT compilation.
    await Scenario("warm-up", 2, 1, n => [n == 0 ? Program.Hot - 1 : Program.Objects - 1], keys => new { urls = keys.Select(Program.PathOf).ToList() }, null);
    results["singleUrl"] = await Scenario("single URL", 60, 1, n => [n % 2 == 0 ? random.Next(Program.Hot) : random.Next(Program.Hot, Program.Objects)], keys => new { urls = keys.Select(Program.PathOf).ToList() }, null);
    results["prefix"] = await Scenario("prefix of 1,000", 5, 1000, n => Enumerable.Range(n * 1000, 1000).ToArray(), _ => new { prefixes = new List<string> { $"/notes/b/g{results.Count}/" } }, null, prefixGroup: true);
    results["tag"] = await Scenario("tag (100 objects)", 10, 100, n => Enumerable.Range(0, Program.Objects).Where(i => i % 100 == n).ToArray(), keys => new { tags = new List<string> { $"t{keys[0] % 100}" } }, null);
    var stopped = edges[^1];
    results["singleUrlWithStoppedEdge"] = await Scenario("single URL, one edge stopped", 3, 1, n => [n * 7], keys => new { urls = keys.Select(Program.PathOf).ToList() }, stopped);

    stopLoad.Cancel();
    await Task.WhenAll(load);
    Console.WriteLine($"reads {checker.Reads} (checked after a completion: {checker.Checked}), stale {checker.Stale}, failed or timed out {checker.Errors}");

    var output = new
    {
        leaseDurationSeconds = lease.TotalSeconds,
        objects = Program.Objects,
        edges = edges.Count,
        shields = shields.Count,
        leasesAfterWarmUp = leased,
        reads = checker.Reads,
        staleReadsAfterCompletion = checker.Stale,
        scenarios = results,
    };
    Directory.CreateDirectory(artifacts);
    await File.WriteAllTextAsync(Path.Combine(artifacts, "bench-invalidation.json"), JsonSerializer.Serialize(output, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
    Console.WriteLine($"wrote {Path.Combine(artifacts, "bench-invalidation.json")}");
    return checker.Stale == 0 ? 0 : 1;

    async Task<ScenarioResult> Scenario(string name, int count, int keysPer, Func<int, int[]> pick, Func<int[], object> body, FleetMember? stop, bool prefixGroup = false)
    {
        Console.WriteLine($"scenario: {name} x {count}");
        var server = new List<double>();
        var withHolders = new List<double>();
        var client = new List<double>();
        var (updates0, invalidates0) = await NoticeCounters();
        var origin0 = await OriginRequests();
        var stale0 = checker.Stale;
        var checked0 = checker.Checked;
        for (var n = 0; n < count; n++)
        {
            var keys = pick(n);
            await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            {
                Interlocked.Increment(ref versions[i]);
                await Put(i, ct);
            });
            var catchUps = 0;
            var stoppedFor = Stopwatch.StartNew();
            if (stop is not null)
            {
                catchUps = (await Status(stop.Admin!)).GetProperty("catchUps").GetInt32();
                Signal("STOP", stop.Pid);
            }

            var request = prefixGroup ? new { prefixes = new List<string> { $"/notes/b/g{n}/" } } : body(keys);
            var sw = Stopwatch.StartNew();
            using var posted = await http.PostAsJsonAsync(shields[n % shields.Count].Admin + "/admin/invalidations", request);
            posted.EnsureSuccessStatusCode();
            var id = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
            JsonElement status;
            while (true)
            {
                status = await http.GetFromJsonAsync<JsonElement>($"{shields[n % shields.Count].Admin}/admin/invalidations/{id}");
                if (status.GetProperty("complete").GetBoolean())
                {
                    break;
                }

                if (sw.Elapsed > (lease * 3) + TimeSpan.FromSeconds(10))
                {
                    throw new TimeoutException($"invalidation {id} not complete: {status}");
                }

                await Task.Delay(2);
            }

            client.Add(sw.Elapsed.TotalMilliseconds);
            server.Add(status.GetProperty("durationMs").GetDouble());
            if (status.GetProperty("targeted").GetInt32() > 0)
            {
                withHolders.Add(server[^1]);
            }

            foreach (var i in keys)
            {
                checker.Completed(i, versions[i]);
            }

            // Right after completion, read changed objects from every edge that answers.
            var sample = keys.Length <= 50 ? keys : keys.Where((_, j) => j % (keys.Length / 50) == 0).ToArray();
            await Parallel.ForEachAsync(sample, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            {
                foreach (var edge in edges.Where(e => e != stop))
                {
                    await checker.ReadAsync(edge.Public, i, ct);
                }
            });

            if (stop is not null)
            {
                Signal("CONT", stop.Pid);
                foreach (var i in sample)
                {
                    await checker.ReadAsync(stop.Public, i, CancellationToken.None);
                }

                // A pause longer than half a lease makes the edge catch up (readyz 503 catching-up) before it serves as ready again.
                var waited = Stopwatch.StartNew();
                var paused = stoppedFor.Elapsed;
                while (paused > lease / 2 && (await Status(stop.Admin!)).GetProperty("catchUps").GetInt32() == catchUps && waited.Elapsed < lease * 2)
                {
                    await Task.Delay(100);
                }

                var caughtUp = paused > lease / 2 ? $"caught up {waited.ElapsedMilliseconds} ms after resuming" : "pause too short to need a catch-up";
                Console.WriteLine($"  stopped {stop.Name} for {paused.TotalMilliseconds:F0} ms during invalidation {id}: complete in {server[^1]:F0} ms ({status.GetProperty("expired")} holder(s) expired); {caughtUp}");
            }
        }

        var (updates1, invalidates1) = await NoticeCounters();
        var notices = (updates1 - updates0) + (invalidates1 - invalidates0);
        server.Sort();
        client.Sort();
        withHolders.Sort();
        var result = new ScenarioResult
        {
            Invalidations = count,
            KeysPerInvalidation = keysPer,
            P50Ms = Percentile(server, 0.50),
            P99Ms = Percentile(server, 0.99),
            P50MsWithHolders = Percentile(withHolders, 0.50),
            P99MsWithHolders = Percentile(withHolders, 0.99),
            WithHolders = withHolders.Count,
            ClientP50Ms = Percentile(client, 0.50),
            ClientP99Ms = Percentile(client, 0.99),
            NoticesPerInvalidation = (double)notices / count,
            BroadcastNoticesPerInvalidation = (double)keysPer * edges.Count,
            UpdateShare = notices == 0 ? 0 : (double)(updates1 - updates0) / notices,
            EdgeFillsSavedByUpdates = updates1 - updates0,
            OriginRequests = await OriginRequests() - origin0,
            StaleReadsAfterCompletion = checker.Stale - stale0,
            ReadsAfterCompletion = checker.Checked - checked0,
        };
        Console.WriteLine($"  p50 {result.P50Ms:F1} ms, p99 {result.P99Ms:F1} ms ({result.WithHolders} with holders: {result.P50MsWithHolders:F1}/{result.P99MsWithHolders:F1}) (client {result.ClientP50Ms:F1}/{result.ClientP99Ms:F1}), notices/invalidation {result.NoticesPerInvalidation:F1} vs broadcast {result.BroadcastNoticesPerInvalidation}, UPDATE share {result.UpdateShare:P0}, stale {result.StaleReadsAfterCompletion} of {result.ReadsAfterCompletion} checked reads");
        return result;
    }

    async Task Put(int i, CancellationToken ct)
    {
        using var content = new StringContent($"o{i} v{Math.Max(versions[i], 1)}");
        using var response = await http.PutAsync($"{fleet.Origin.Public}{Program.PathOf(i)}?tags=g{i / 1000}+t{i % 100}", content, ct);
        response.EnsureSuccessStatusCode();
    }

    async Task<JsonElement> Status(string admin) => await http.GetFromJsonAsync<JsonElement>(admin + "/admin/fleet");

    async Task<(long Updates, long Invalidates)> NoticeCounters()
    {
        long u = 0, v = 0;
        foreach (var shield in shields)
        {
            var s = await Status(shield.Admin!);
            u += s.GetProperty("updatesSent").GetInt64();
            v += s.GetProperty("invalidatesSent").GetInt64();
        }

        return (u, v);
    }

    async Task<long> OriginRequests() => (await http.GetFromJsonAsync<JsonElement>(fleet.Origin.Public + "/stats")).GetProperty("originRequests").GetInt64();
}
finally
{
    if (!runner.HasExited)
    {
        Signal("TERM", runner.Id);
        if (!runner.WaitForExit(20_000))
        {
            runner.Kill(entireProcessTree: true);
        }
    }
}

static double Percentile(List<double> sorted, double p) =>
    sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static void Signal(string signal, int pid)
{
    using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
    kill.WaitForExit();
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "EdgeFleet.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("run from inside the repository");
}

/// <summary>The bench's object layout.</summary>
internal static partial class Program
{
    public const int Objects = 10_000;

    /// <summary>Objects 0..Hot-1 are read on every edge; the others on one edge each.</summary>
    public const int Hot = 100;

    public static string Group(int i) => "g" + (i / 1000).ToString(CultureInfo.InvariantCulture);

    public static string PathOf(int i) => $"/notes/b/{Group(i)}/{i.ToString(CultureInfo.InvariantCulture)}";
}
