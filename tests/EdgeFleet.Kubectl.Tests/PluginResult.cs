namespace EdgeFleet.Kubectl.Tests;

/// <summary>What one run of the plugin left behind.</summary>
public sealed record PluginResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Error}";
}
