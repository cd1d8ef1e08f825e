using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>Refuses bad fleet settings at start, naming the setting.</summary>
internal sealed class FleetOptionsValidator(IOptions<CacheServerOptions> cache) : IValidateOptions<FleetOptions>
{
    public ValidateOptionsResult Validate(string? name, FleetOptions options)
    {
        var failures = new List<string>();
        if (options.Role is not (FleetOptions.EdgeRole or FleetOptions.ShieldRole))
        {
            failures.Add($"EdgeFleet:Role (--role) must be edge or shield, got '{options.Role}'");
        }

        foreach (var (setting, urls) in new[] { ("Shields", options.Shields), ("ShieldAdmin", options.ShieldAdmin), ("Peers", options.Peers), ("Edges", options.Edges) })
        {
            for (var i = 0; i < urls.Count; i++)
            {
                if (!Uri.TryCreate(urls[i], UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    failures.Add($"EdgeFleet:{setting}:{i} must be an absolute http URL, got '{urls[i]}'");
                }
            }
        }

        if (options.LeaseDuration < TimeSpan.FromMilliseconds(100))
        {
            failures.Add("EdgeFleet:LeaseDuration must be at least 00:00:00.1");
        }

        if (options.ShieldTimeout <= TimeSpan.Zero || options.ShieldDownFor < TimeSpan.Zero)
        {
            failures.Add("EdgeFleet:ShieldTimeout must be positive and EdgeFleet:ShieldDownFor not negative");
        }

        if (options.Notices.UpdateMaxBytes < 0 || options.Notices.UpdateMinRequestsPerMinute < 0 || options.Notices.LogCapacity < 1 || options.Notices.MaxLeases < 1)
        {
            failures.Add("EdgeFleet:Notices: UpdateMaxBytes and UpdateMinRequestsPerMinute must not be negative, LogCapacity and MaxLeases must be positive");
        }

        if (options.AdaptivePolling.Enabled && (options.AdaptivePolling.MinInterval <= TimeSpan.Zero || options.AdaptivePolling.MaxInterval < options.AdaptivePolling.MinInterval))
        {
            failures.Add("EdgeFleet:AdaptivePolling: MinInterval must be positive and MaxInterval at least MinInterval");
        }

        if (options.AdaptivePolling.MaxContentHashBytes < 0)
        {
            failures.Add("EdgeFleet:AdaptivePolling:MaxContentHashBytes must not be negative");
        }

        if ((options.IsShield || options.Shields.Count > 0) && string.IsNullOrEmpty(cache.Value.AdminToken))
        {
            failures.Add("EdgeFleet:AdminToken (--admin-token) is required in a fleet: it authenticates leases and notices between pods");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
