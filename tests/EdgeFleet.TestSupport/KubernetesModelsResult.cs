namespace EdgeFleet.TestSupport;

/// <summary>What build/validate-k8s.mjs said: its exit code and everything it printed.</summary>
public sealed record KubernetesModelsResult(int ExitCode, string Output)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}";
}
