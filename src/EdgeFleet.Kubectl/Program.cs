namespace EdgeFleet.Kubectl;

/// <summary>Entry point of <c>kubectl-edgefleet</c>.</summary>
internal static class Program
{
    private static Task<int> Main(string[] args) => PluginCommand.RunAsync(args, PluginConsole.System);
}
