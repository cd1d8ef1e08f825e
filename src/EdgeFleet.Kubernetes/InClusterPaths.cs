namespace EdgeFleet.Kubernetes;

/// <summary>Where the service account's files are mounted; injectable so tests use a temp dir.</summary>
public sealed record InClusterPaths(string TokenPath, string CaPath, string NamespacePath)
{
    private const string Root = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static InClusterPaths Default { get; } =
        new($"{Root}/token", $"{Root}/ca.crt", $"{Root}/namespace");

    /// <summary>The three files under one directory.</summary>
    public static InClusterPaths Under(string directory) =>
        new(System.IO.Path.Combine(directory, "token"), System.IO.Path.Combine(directory, "ca.crt"), System.IO.Path.Combine(directory, "namespace"));
}
