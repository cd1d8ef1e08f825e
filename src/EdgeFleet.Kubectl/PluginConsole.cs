namespace EdgeFleet.Kubectl;

/// <summary>
/// What the plugin needs from its process: standard output and error, the environment (KUBECONFIG,
/// HOME, the in-cluster variables) and the clock. Tests pass their own.
/// </summary>
internal sealed record PluginConsole(TextWriter Out, TextWriter Error, Func<string, string?> Environment, TimeProvider Time)
{
    public static PluginConsole System { get; } =
        new(Console.Out, Console.Error, global::System.Environment.GetEnvironmentVariable, TimeProvider.System);
}
