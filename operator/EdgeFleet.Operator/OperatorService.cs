using EdgeFleet.Operator.Controllers;

namespace EdgeFleet.Operator;

/// <summary>
/// Runs the <see cref="OperatorRuntime"/> for the life of the process. A replica that loses the
/// Lease stops the process (exit code 1) rather than campaigning again with state from its term,
/// as controller-runtime does; its Deployment restarts it as a fresh candidate.
/// </summary>
internal sealed partial class OperatorService(OperatorRuntime runtime, IHostApplicationLifetime lifetime, ILogger<OperatorService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await runtime.RunAsync(stoppingToken);
        if (!stoppingToken.IsCancellationRequested)
        {
            LogLost(logger, runtime.Identity);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "{Identity} is no longer leader; exiting")]
    private static partial void LogLost(ILogger logger, string identity);
}
