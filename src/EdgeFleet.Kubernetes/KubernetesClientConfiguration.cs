using System.Security.Cryptography.X509Certificates;

namespace EdgeFleet.Kubernetes;

/// <summary>
/// Where the API server is and how to authenticate to it: the result of loading a kubeconfig
/// (<see cref="KubeConfigLoader"/>) or the pod's service account (<see cref="InClusterConfig"/>).
/// </summary>
public sealed record KubernetesClientConfiguration
{
    /// <summary>The API server's base URL; <c>http</c> is accepted, as kubectl does.</summary>
    public required Uri Server { get; init; }

    /// <summary>The namespace used when a call names none (the context's, else <c>default</c>).</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Trust anchors for the server's certificate instead of the system store; null means the system store.</summary>
    public X509Certificate2Collection? CertificateAuthorities { get; init; }

    /// <summary>Accept any server certificate (kubeconfig <c>insecure-skip-tls-verify</c>).</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Client certificate with its private key, presented during the TLS handshake.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Bearer token, read per request so rotated tokens are picked up.</summary>
    public BearerTokenSource? Token { get; init; }

    /// <summary>HTTP basic credentials (kubeconfig <c>username</c>/<c>password</c>).</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>The kubeconfig context this came from, for messages; null in-cluster.</summary>
    public string? ContextName { get; init; }
}
