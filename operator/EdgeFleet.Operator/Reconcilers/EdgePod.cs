namespace EdgeFleet.Operator.Reconcilers;

/// <summary>One edge pod, by the name that status messages show, and the base URL of its admin port.</summary>
internal sealed record EdgePod(string Name, Uri AdminUri);
