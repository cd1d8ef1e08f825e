using System.CommandLine;

namespace EdgeFleet.Kubectl;

/// <summary>The command tree of <c>kubectl edgefleet</c>, and one invocation of it.</summary>
internal static class PluginCommand
{
    public static RootCommand Build(PluginConsole console)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("""
            kubectl edgefleet: purge and inspect EdgeFleet caches through the Kubernetes API server
            (RBAC decides who may invalidate).

            Exit codes: 0 done, 1 usage, 2 not found, 3 forbidden, 4 timed out, 5 other API error,
            6 invalidation failed.
            """);
        global.AddTo(root);
        root.Subcommands.Add(new InvalidateCommand(global, console).Command);
        root.Subcommands.Add(new StatusCommand(global, console).Command);
        root.Subcommands.Add(new GetCommand(global, console).Command);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, PluginConsole console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(console);
        var parse = Build(console).Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line, as kubectl does, instead of the parser's error list followed by the whole help.
            await console.Error.WriteLineAsync($"error: {parse.Errors[0].Message} (see kubectl edgefleet --help)");
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(
                new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false },
                cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return ErrorReporter.Report(e, console.Error);
        }
    }
}
