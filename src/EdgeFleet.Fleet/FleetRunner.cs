using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace EdgeFleet.Fleet;

/// <summary>
/// Starts the local fleet on loopback (a demo origin, two shields, two regions of two edges),
/// restarts any process that exits, and keeps <c>fleet.json</c> current (process ids change on
/// restart). Ports: origin at the base port; shields at base+101.. (admin base+201..); edges of
/// region eu at base+111.. and of region us at base+121.. (admin +100).
/// </summary>
internal sealed class FleetRunner(RunOptions options, string root)
{
    private readonly List<ChildProcess> _children = [];
    private readonly FleetManifest _manifest = new();

    public async Task<int> RunAsync()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var cacheDll = Path.Combine(root, "src", "EdgeFleet.Cache", "bin", configuration, "net10.0", "EdgeFleet.Cache.dll");
        var originDll = Path.Combine(root, "src", "EdgeFleet.DemoOrigin", "bin", configuration, "net10.0", "EdgeFleet.DemoOrigin.dll");
        foreach (var dll in new[] { cacheDll, originDll })
        {
            if (!File.Exists(dll))
            {
                await Console.Error.WriteLineAsync($"edgefleet-fleet: {dll} is missing; build the solution first");
                return 2;
            }
        }

        var artifacts = Path.GetFullPath(Path.Combine(root, options.Artifacts));
        var dir = Path.Combine(artifacts, "fleet");

        // State from an earlier run would only make every edge mark its (empty) cache stale:
        // it is kept across restarts within a run, not across runs.
        if (Directory.Exists(Path.Combine(dir, "state")))
        {
            Directory.Delete(Path.Combine(dir, "state"), recursive: true);
        }

        Directory.CreateDirectory(dir);
        var manifestPath = Path.Combine(artifacts, "fleet.json");
        _manifest.AdminToken = options.AdminToken ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        _manifest.OriginNotificationToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        _manifest.LeaseDuration = options.LeaseDuration;
        _manifest.RunnerPid = Environment.ProcessId;
        var originTokenFile = Path.Combine(dir, "origin-notification-token");
        await File.WriteAllTextAsync(originTokenFile, _manifest.OriginNotificationToken);

        var b = options.BasePort;
        var url = (int port) => "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        var origin = new FleetMember { Name = "origin", Role = "origin", Public = url(b) };
        Add(origin, originDll, ["--urls", origin.Public], new Dictionary<string, string>(), dir);

        var shields = new[] { ("shield-a", 101), ("shield-b", 102) }
            .Select(s => new FleetMember { Name = s.Item1, Role = "shield", Public = url(b + s.Item2), Admin = url(b + s.Item2 + 100) })
            .ToList();
        var edges = new[] { ("edge-eu-1", "eu", 111), ("edge-eu-2", "eu", 112), ("edge-us-1", "us", 121), ("edge-us-2", "us", 122) }
            .Select(e => new FleetMember { Name = e.Item1, Role = "edge", Region = e.Item2, Public = url(b + e.Item3), Admin = url(b + e.Item3 + 100) })
            .ToList();

        foreach (var shield in shields)
        {
            var args = Common(shield, origin, dir);
            args.AddRange(["--role", "shield", "--EdgeFleet:OriginNotificationTokenFile=" + originTokenFile]);
            var i = 0;
            foreach (var peer in shields.Where(p => p != shield))
            {
                args.Add($"--EdgeFleet:Peers:{i++}={peer.Admin}");
            }

            Add(shield, cacheDll, args, new Dictionary<string, string> { ["PodName"] = shield.Name }, dir);
        }

        foreach (var edge in edges)
        {
            var args = Common(edge, origin, dir);
            args.AddRange(["--role", "edge", "--region", edge.Region!]);
            for (var i = 0; i < shields.Count; i++)
            {
                args.Add($"--EdgeFleet:Shields:{i}={shields[i].Public}");
                args.Add($"--EdgeFleet:ShieldAdmin:{i}={shields[i].Admin}");
            }

            Add(edge, cacheDll, args, new Dictionary<string, string> { ["PodName"] = edge.Name }, dir);
        }

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        if (options.Duration is { } duration)
        {
            stop.CancelAfter(duration);
        }

        // A port taken by another program would only show as a process that never becomes ready.
        if (PortInUse() is { } taken)
        {
            await Console.Error.WriteLineAsync($"edgefleet-fleet: port {taken.Port} ({taken.Member}) is in use; choose another --base-port");
            return 3;
        }

        try
        {
            foreach (var child in _children)
            {
                child.Start();
            }

            if (await WaitReadyAsync(TimeSpan.FromSeconds(90), stop.Token) is { Count: > 0 } notReady)
            {
                await Console.Error.WriteLineAsync($"edgefleet-fleet: not ready after 90 s: {string.Join(", ", notReady)}; logs in {dir}");
                foreach (var child in _children.Where(c => notReady.Contains(c.Member.Name)))
                {
                    await Console.Error.WriteLineAsync($"--- last lines of {child.Member.Name}.log ---{Environment.NewLine}{child.LogTail(20)}");
                }

                return 1;
            }

            if (!options.Quiet)
            {
                PrintTable(manifestPath, dir);
            }

            // Written once every process is ready, so that a script can wait for the file.
            _manifest.Save(manifestPath);
            Console.WriteLine("fleet ready");
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                foreach (var child in _children.Where(c => c.HasExited && !stop.IsCancellationRequested))
                {
                    // A process that died is started again with the same ports and state directory.
                    child.Member.Restarts++;
                    child.Start();
                    Console.WriteLine($"restarted {child.Member.Name} (pid {child.Member.Pid}, restart {child.Member.Restarts})");
                    _manifest.Save(manifestPath);
                }
            }

            return 0;
        }
        finally
        {
            foreach (var child in _children)
            {
                child.Stop();
            }
        }
    }

    private List<string> Common(FleetMember member, FleetMember origin, string dir) =>
    [
        "--origin", origin.Public, "--listen", member.Public, "--admin-listen", member.Admin!, "--cache-name", member.Name,
        "--admin-token", _manifest.AdminToken, "--lease-duration", options.LeaseDuration,
        "--state-dir", Path.Combine(dir, "state", member.Name), .. options.CacheArguments,
    ];

    private void Add(FleetMember member, string dll, List<string> args, Dictionary<string, string> environment, string dir)
    {
        environment["DOTNET_gcServer"] = "0";
        _manifest.Members.Add(member);
        _children.Add(new ChildProcess(member, dll, args, environment, Path.Combine(dir, member.Name + ".log")));
    }

    private (int Port, string Member)? PortInUse()
    {
        foreach (var member in _manifest.Members)
        {
            foreach (var url in new[] { member.Public, member.Admin }.OfType<string>())
            {
                var port = new Uri(url).Port;
                try
                {
                    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
                    listener.Start();
                }
                catch (System.Net.Sockets.SocketException)
                {
                    return (port, member.Name);
                }
            }
        }

        return null;
    }

    /// <summary>Waits until every process answers its readiness probe; returns the names of those that did not.</summary>
    private async Task<List<string>> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The fleet is on loopback: an http_proxy in the user's environment must not be used.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        var notReady = _children.Select(c => c.Member.Name).ToList();
        while (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            foreach (var child in _children.Where(c => notReady.Contains(c.Member.Name)).ToList())
            {
                var member = child.Member;
                if (child.HasExited)
                {
                    // A process that died while starting (a port briefly taken, say) gets another go;
                    // only restarts of a ready fleet are counted.
                    child.Start();
                    continue;
                }

                try
                {
                    using var response = await http.GetAsync(member.Admin is { } admin ? admin + "/readyz" : member.Public + "/stats", cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        notReady.Remove(member.Name);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet.
                }
            }

            if (notReady.Count == 0)
            {
                break;
            }

            await Task.Delay(200, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        return notReady;
    }

    private void PrintTable(string manifestPath, string dir)
    {
        Console.WriteLine("EdgeFleet local fleet (logs in " + dir + ")");
        Console.WriteLine();
        Console.WriteLine($"  {"name",-10} {"role",-7} {"region",-7} {"public",-24} {"admin",-24} pid");
        foreach (var m in _manifest.Members)
        {
            Console.WriteLine($"  {m.Name,-10} {m.Role,-7} {m.Region ?? "-",-7} {m.Public,-24} {m.Admin ?? "-",-24} {m.Pid}");
        }

        Console.WriteLine();
        Console.WriteLine($"  admin token: {_manifest.AdminToken}   lease: {_manifest.LeaseDuration}   endpoints: {manifestPath}");
    }
}
