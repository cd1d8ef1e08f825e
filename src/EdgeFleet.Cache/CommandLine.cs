namespace EdgeFleet.Cache;

/// <summary>The cache server's command-line options, mapped onto configuration keys.</summary>
internal static class CommandLine
{
    public static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--origin"] = "EdgeFleet:Origin",
        ["--origin-host"] = "EdgeFleet:OriginHost",
        ["--listen"] = "EdgeFleet:Listen",
        ["--admin-listen"] = "EdgeFleet:AdminListen",
        ["--memory-size"] = "EdgeFleet:MemorySize",
        ["--max-object-size"] = "EdgeFleet:MaxObjectSize",
        ["--admin-token"] = "EdgeFleet:AdminToken",
        ["--cache-name"] = "EdgeFleet:CacheName",
        ["--default-ttl"] = "EdgeFleet:DefaultTtl",
        ["--eviction-policy"] = "EdgeFleet:EvictionPolicy",
        ["--region"] = "EdgeFleet:Region",
        ["--dns-ttl"] = "EdgeFleet:DnsTtlSeconds",
        ["--disk-path"] = "EdgeFleet:DiskPath",
        ["--disk-size"] = "EdgeFleet:DiskSize",
        ["--role"] = "EdgeFleet:Role",
        ["--lease-duration"] = "EdgeFleet:LeaseDuration",
        ["--state-dir"] = "EdgeFleet:StateDirectory",
        ["--direct-hits"] = "EdgeFleet:DirectHits",
        ["--unsent-limit"] = "EdgeFleet:UnsentLimit",
        ["--event-loops"] = "EdgeFleet:EventLoops",
    };

    public const string Usage = """
        Usage: EdgeFleet.Cache --origin <url> [options]

          --origin <url>              the origin's base URL (required)
          --origin-host <host>        Host sent to the origin (default: the origin URL's)
          --listen <url>              public listener (default http://127.0.0.1:8080)
          --admin-listen <url>        admin listener: metrics, health, purge (default http://127.0.0.1:8081)
          --memory-size <size>        memory tier budget, e.g. 512MiB, 2GiB (default 256MiB)
          --max-object-size <size>    largest object stored (default memory-size/8; with a disk tier about disk-size/4, at most 3.75GiB)
          --disk-path <dir>           disk tier directory, kept across restarts (default: no disk tier)
          --disk-size <size>          disk tier budget in file bytes, e.g. 200GiB (required with --disk-path)
          --admin-token <token>       bearer credential for the admin API (or EDGEFLEET__ADMINTOKEN)
          --cache-name <name>         name in Cache-Status and Via (default EdgeFleet)
          --default-ttl <hh:mm:ss>    freshness when the origin gives none (default 0)
          --eviction-policy <name>    eviction policy of the memory tier (default: the default policy)
          --role <edge|shield>        fleet role (default edge; an edge fills through EdgeFleet:Shields)
          --lease-duration <hh:mm:ss> how long a shield's lease lasts (default 00:01:00)
          --state-dir <dir>           small fleet state kept across restarts (notice positions, edges)
          --direct-hits <true|false>  answer stored objects on the connection itself (default true)
          --unsent-limit <size>       most bytes a public connection keeps queued unsent in the kernel, 4KiB-1GiB (default 128KiB; 0: the kernel's)
          --event-loops <n|auto>      threads that read public connections, 1-256 (default auto: one per core; 0: Kestrel's socket transport)
          --config <file.json>        extra JSON configuration (section "EdgeFleet")

        Every setting can also come from appsettings.json or EDGEFLEET__<Setting> variables.
        """;

    /// <summary>
    /// Splits off <c>--config</c> and refuses unknown options (a typo must not be ignored).
    /// Options in configuration-key form (<c>--EdgeFleet:Origin=...</c>) pass through.
    /// </summary>
    public static (string[] Args, string? ConfigFile, string? Error) Parse(string[] args)
    {
        var rest = new List<string>();
        string? configFile = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var name = arg.Split('=', 2)[0];
            if (name == "--config")
            {
                if (arg.Contains('=', StringComparison.Ordinal))
                {
                    configFile = arg.Split('=', 2)[1];
                }
                else if (i + 1 < args.Length)
                {
                    configFile = args[++i];
                }
                else
                {
                    return ([], null, "--config needs a file path");
                }

                continue;
            }

            if (name.StartsWith("--", StringComparison.Ordinal) && !Switches.ContainsKey(name) && !name.Contains(':', StringComparison.Ordinal))
            {
                return ([], null, $"unknown option {name}");
            }

            rest.Add(arg);
        }

        return ([.. rest], configFile, null);
    }
}
