using System.Globalization;
using EdgeFleet.Fleet;

// The local fleet on loopback: `run` starts it, `invalidate` invalidates across it.
const string Usage = """
    Usage:
      EdgeFleet.Fleet run [--base-port 8000] [--lease-duration 00:01:00] [--admin-token <t>]
                          [--artifacts artifacts] [--cache-arg <arg>]... [--duration <seconds>] [--quiet]
      EdgeFleet.Fleet invalidate (--url <path> | --prefix <path> | --tag <tag>)... [--soft] [--wait]
                          [--fleet artifacts/fleet.json] [--timeout <seconds>]
    """;

var root = FindRoot();
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

try
{
    switch (args[0])
    {
        case "run":
            {
                var options = new RunOptions();
                for (var i = 1; i < args.Length; i++)
                {
                    switch (args[i])
                    {
                        case "--base-port": options.BasePort = int.Parse(Next(args, ref i), CultureInfo.InvariantCulture); break;
                        case "--lease-duration": options.LeaseDuration = Next(args, ref i); break;
                        case "--admin-token": options.AdminToken = Next(args, ref i); break;
                        case "--artifacts": options.Artifacts = Next(args, ref i); break;
                        case "--cache-arg": options.CacheArguments.Add(Next(args, ref i)); break;
                        case "--duration": options.Duration = TimeSpan.FromSeconds(double.Parse(Next(args, ref i), CultureInfo.InvariantCulture)); break;
                        case "--quiet": options.Quiet = true; break;
                        default: throw new ArgumentException($"unknown option {args[i]}");
                    }
                }

                return await new FleetRunner(options, root).RunAsync();
            }

        case "invalidate":
            {
                List<string> urls = [], prefixes = [], tags = [];
                bool soft = false, wait = false;
                var fleet = Path.Combine(root, "artifacts", "fleet.json");
                var timeout = TimeSpan.FromSeconds(300);
                for (var i = 1; i < args.Length; i++)
                {
                    switch (args[i])
                    {
                        case "--url": urls.Add(Next(args, ref i)); break;
                        case "--prefix": prefixes.Add(Next(args, ref i)); break;
                        case "--tag": tags.Add(Next(args, ref i)); break;
                        case "--soft": soft = true; break;
                        case "--wait": wait = true; break;
                        case "--fleet": fleet = Next(args, ref i); break;
                        case "--timeout": timeout = TimeSpan.FromSeconds(double.Parse(Next(args, ref i), CultureInfo.InvariantCulture)); break;
                        default: throw new ArgumentException($"unknown option {args[i]}");
                    }
                }

                if (urls.Count + prefixes.Count + tags.Count == 0)
                {
                    throw new ArgumentException("give at least one --url, --prefix or --tag");
                }

                if (!File.Exists(fleet))
                {
                    await Console.Error.WriteLineAsync($"edgefleet-fleet: {fleet} not found; start the fleet with `make run`");
                    return 2;
                }

                return await InvalidateCommand.RunAsync(FleetManifest.Load(fleet), urls, prefixes, tags, soft, wait, timeout);
            }

        default:
            throw new ArgumentException($"unknown command {args[0]}");
    }
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync($"edgefleet-fleet: {ex.Message}");
    await Console.Error.WriteLineAsync(Usage);
    return 2;
}

static string Next(string[] args, ref int i) =>
    ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value");

static string FindRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeFleet.sln")))
            {
                return dir.FullName;
            }
        }
    }

    return Directory.GetCurrentDirectory();
}
