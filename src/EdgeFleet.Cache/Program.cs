using EdgeFleet.Cache;
using Microsoft.Extensions.Options;

// Before anything opens a socket: the runtime reads this once (see IoThreads).
IoThreads.UseInlineCompletionsByDefault();

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

try
{
    var app = CacheServerHost.Build(args);
    await app.RunAsync();
    return 0;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"edgefleet-cache: {ex.Message}");
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}
catch (OptionsValidationException ex)
{
    foreach (var failure in ex.Failures)
    {
        Console.Error.WriteLine($"edgefleet-cache: invalid configuration: {failure}");
    }

    return 2;
}
catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException || ex.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
{
    Console.Error.WriteLine($"edgefleet-cache: cannot listen: {ex.Message}");
    return 2;
}
