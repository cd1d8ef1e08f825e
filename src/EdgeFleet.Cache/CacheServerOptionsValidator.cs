using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache;

/// <summary>Refuses bad configuration at start, naming the setting and the command-line option.</summary>
internal sealed class CacheServerOptionsValidator : IValidateOptions<CacheServerOptions>
{
    public ValidateOptionsResult Validate(string? name, CacheServerOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Origin))
        {
            failures.Add("EdgeFleet:Origin (--origin) is required: the origin's base URL, for example http://127.0.0.1:9000");
        }
        else if (!Uri.TryCreate(options.Origin, UriKind.Absolute, out var origin) || origin.Scheme is not ("http" or "https"))
        {
            failures.Add($"EdgeFleet:Origin (--origin) must be an absolute http or https URL, got '{options.Origin}'");
        }

        CheckListener(failures, "Listen", "--listen", options.Listen);
        CheckListener(failures, "AdminListen", "--admin-listen", options.AdminListen);
        if (ListenerAddress.TryParse(options.Listen, out var pub) && ListenerAddress.TryParse(options.AdminListen, out var admin) &&
            pub.Port != 0 && pub.Port == admin.Port)
        {
            failures.Add("EdgeFleet:AdminListen (--admin-listen) must use a different port from EdgeFleet:Listen (--listen)");
        }

        if (!ByteSize.TryParse(options.MemorySize, out var memory) || memory < 1024 * 1024)
        {
            failures.Add($"EdgeFleet:MemorySize (--memory-size) must be a size of at least 1MiB such as 512MiB or 2GiB, got '{options.MemorySize}'");
        }

        if (options.MaxObjectSize is not null && (!ByteSize.TryParse(options.MaxObjectSize, out var max) || max <= 0))
        {
            failures.Add($"EdgeFleet:MaxObjectSize (--max-object-size) must be a positive size, got '{options.MaxObjectSize}'");
        }

        if (!ByteSize.TryParse(options.UnsentLimit, out var unsent) || (unsent != 0 && unsent is < 4096 or > 1024 * 1024 * 1024))
        {
            failures.Add($"EdgeFleet:UnsentLimit (--unsent-limit) must be 0 (the kernel's setting) or a size from 4KiB to 1GiB such as 128KiB, got '{options.UnsentLimit}'");
        }

        if (options.EventLoopCount < 0)
        {
            failures.Add($"EdgeFleet:EventLoops (--event-loops) must be auto, 0 (Kestrel's socket transport) or a count from 1 to {CacheServerOptions.MaxEventLoops}, got '{options.EventLoops}'");
        }

        if (options.HasDisk && (!ByteSize.TryParse(options.DiskSize, out var disk) || disk < 4 * 1024 * 1024))
        {
            failures.Add($"EdgeFleet:DiskSize (--disk-size) must be a size of at least 4MiB such as 200GiB when EdgeFleet:DiskPath (--disk-path) is set, got '{options.DiskSize}'");
        }

        if (options.EvictionPolicy != "default" && !EdgeFleet.Storage.Eviction.EvictionPolicyFactory.Names.Contains(options.EvictionPolicy))
        {
            failures.Add($"EdgeFleet:EvictionPolicy (--eviction-policy) must be one of default, {string.Join(", ", EdgeFleet.Storage.Eviction.EvictionPolicyFactory.Names)}; got '{options.EvictionPolicy}'");
        }

        if (options.DefaultTtl < TimeSpan.Zero)
        {
            failures.Add("EdgeFleet:DefaultTtl (--default-ttl) must not be negative");
        }

        if (options.OriginConnectTimeout <= TimeSpan.Zero || options.OriginReadTimeout <= TimeSpan.Zero)
        {
            failures.Add("EdgeFleet:OriginConnectTimeout and EdgeFleet:OriginReadTimeout must be positive durations such as 00:00:05");
        }

        if (options.OriginTls.CaFile is { Length: > 0 } caFile && !File.Exists(caFile))
        {
            failures.Add($"EdgeFleet:OriginTls:CaFile names a file that does not exist: '{caFile}'");
        }

        if (options.ResolverSlackSeconds is < 0 or > 3600)
        {
            failures.Add("EdgeFleet:ResolverSlackSeconds must be between 0 and 3600");
        }

        if (options.StaleIfDisconnected < TimeSpan.Zero)
        {
            failures.Add("EdgeFleet:StaleIfDisconnected must not be negative");
        }

        if (options.OriginRetries is < 0 or > 10)
        {
            failures.Add("EdgeFleet:OriginRetries must be between 0 and 10");
        }

        if (options.DnsTtlSeconds is < 0 or > 86400)
        {
            failures.Add("EdgeFleet:DnsTtlSeconds must be between 0 and 86400");
        }

        if (string.IsNullOrWhiteSpace(options.CacheName) || options.CacheName.Any(c => c is ';' or ',' or '"' or ' ' || char.IsControl(c)))
        {
            failures.Add("EdgeFleet:CacheName must be a token without spaces, commas, semicolons or quotes");
        }

        for (var i = 0; i < options.Downstream.Count; i++)
        {
            var rule = options.Downstream[i];
            if (rule.ContentTypes.Count == 0 || rule.ContentTypes.Any(t => !t.Contains('/', StringComparison.Ordinal)))
            {
                failures.Add($"EdgeFleet:Downstream:{i}:ContentTypes must list media types such as image/* or video/mp4");
            }

            if (string.IsNullOrWhiteSpace(rule.CacheControl))
            {
                failures.Add($"EdgeFleet:Downstream:{i}:CacheControl is required, for example 'public, max-age=2419200'");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckListener(List<string> failures, string setting, string option, string value)
    {
        if (!ListenerAddress.TryParse(value, out _))
        {
            failures.Add($"EdgeFleet:{setting} ({option}) must be a URL such as http://0.0.0.0:8080 or http://127.0.0.1:0, got '{value}'");
        }
    }
}
