using Microsoft.Extensions.Options;

namespace EdgeFleet.Operator;

/// <summary>Refuses settings the operator cannot run with, naming the setting (checked at start).</summary>
internal sealed class OperatorOptionsValidator : IValidateOptions<OperatorOptions>
{
    public ValidateOptionsResult Validate(string? name, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Uri.TryCreate(options.MetricsListen, UriKind.Absolute, out var listen) || listen.Scheme != Uri.UriSchemeHttp)
        {
            failures.Add($"Operator:MetricsListen (--metrics-listen): \"{options.MetricsListen}\" is not an http URL such as http://0.0.0.0:8080");
        }

        if (string.IsNullOrWhiteSpace(options.LeaderElectionId))
        {
            failures.Add("Operator:LeaderElectionId (--leader-election-id) must not be empty");
        }

        if (options.LeaderElection && options.RenewDeadline >= options.LeaseDuration)
        {
            failures.Add("Operator:RenewDeadline must be shorter than Operator:LeaseDuration, or two leaders could overlap");
        }

        if (options.Workers is < 1 or > 64)
        {
            failures.Add($"Operator:Workers must be between 1 and 64, not {options.Workers}");
        }

        Positive(failures, nameof(options.ResyncPeriod), options.ResyncPeriod);
        Positive(failures, nameof(options.RetryBaseDelay), options.RetryBaseDelay);
        Positive(failures, nameof(options.MaxRetryDelay), options.MaxRetryDelay);
        Positive(failures, nameof(options.PollInterval), options.PollInterval);
        Positive(failures, nameof(options.ShieldTimeout), options.ShieldTimeout);
        Positive(failures, nameof(options.ShieldRetryDelay), options.ShieldRetryDelay);
        if (string.IsNullOrWhiteSpace(options.DefaultImage))
        {
            failures.Add("Operator:DefaultImage must not be empty");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"Operator:{name} must be a positive duration (hh:mm:ss), not {value}");
        }
    }
}
