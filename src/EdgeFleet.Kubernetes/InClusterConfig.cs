using System.Security.Cryptography.X509Certificates;

namespace EdgeFleet.Kubernetes;

/// <summary>
/// Configuration of a pod talking to its own cluster: the API server from
/// <c>KUBERNETES_SERVICE_HOST</c>/<c>_PORT</c>, the service account's token (re-read as it
/// rotates), CA bundle and namespace from the mounted files.
/// </summary>
public static class InClusterConfig
{
    /// <summary>True when the environment says we run in a pod.</summary>
    public static bool IsInCluster(Func<string, string?>? environment = null, InClusterPaths? paths = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        paths ??= InClusterPaths.Default;
        return !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST"))
            && !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_PORT"))
            && File.Exists(paths.TokenPath);
    }

    public static KubernetesClientConfiguration Load(
        Func<string, string?>? environment = null, InClusterPaths? paths = null, TimeProvider? time = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        paths ??= InClusterPaths.Default;
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new InvalidOperationException(
                "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set");
        }

        if (!File.Exists(paths.TokenPath))
        {
            throw new InvalidOperationException($"not running in a cluster: no service account token at {paths.TokenPath}");
        }

        // An IPv6 service address needs brackets in a URL.
        var hostPart = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        X509Certificate2Collection? ca = null;
        if (File.Exists(paths.CaPath))
        {
            ca = [];
            ca.ImportFromPemFile(paths.CaPath);
        }

        var ns = File.Exists(paths.NamespacePath) ? File.ReadAllText(paths.NamespacePath).Trim() : "";
        return new KubernetesClientConfiguration
        {
            Server = new Uri($"https://{hostPart}:{port}"),
            Namespace = ns.Length > 0 ? ns : "default",
            CertificateAuthorities = ca,
            Token = BearerTokenSource.FromFile(paths.TokenPath, TimeSpan.FromMinutes(1), time),
        };
    }
}
