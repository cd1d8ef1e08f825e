using EdgeFleet.Kubernetes;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Operator;

/// <summary>Entry point of edgefleet-operator: parse flags, build the host, run until stopped or no longer leader.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(OperatorCommandLine.Usage);
            return 0;
        }

        try
        {
            await using var app = OperatorHost.Build(args);
            await app.RunAsync();
            return Environment.ExitCode;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"edgefleet-operator: {e.Message}");
            await Console.Error.WriteLineAsync(OperatorCommandLine.Usage);
            return 2;
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures)
            {
                await Console.Error.WriteLineAsync($"edgefleet-operator: invalid configuration: {failure}");
            }

            return 2;
        }
        catch (KubeConfigException e)
        {
            await Console.Error.WriteLineAsync($"edgefleet-operator: {e.Message}");
            return 2;
        }
    }
}
