using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.Serialization;

namespace EdgeFleet.Kubernetes;

/// <summary>
/// Loads a kubeconfig the way kubectl does: <c>--kubeconfig</c> names one file that must exist;
/// otherwise every file in <c>KUBECONFIG</c> (path-list separated, missing files skipped) is merged,
/// where the first file to define a cluster, user or context name wins and the first non-empty
/// <c>current-context</c> wins; otherwise <c>~/.kube/config</c>. Relative file references are
/// resolved against the directory of the file that holds them. Credential plugins
/// (<c>exec</c>, <c>auth-provider</c>) are not supported and are reported as such.
/// </summary>
public static class KubeConfigLoader
{
    /// <summary>
    /// The configuration a tool should use: a kubeconfig when one is named or present, else the
    /// pod's service account when in a cluster.
    /// </summary>
    public static KubernetesClientConfiguration LoadDefault(
        string? kubeconfigPath = null, string? context = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var explicitConfig = !string.IsNullOrEmpty(kubeconfigPath) || !string.IsNullOrEmpty(environment("KUBECONFIG"));
        if (!explicitConfig && !ResolvePaths(null, environment).Any(File.Exists) && InClusterConfig.IsInCluster(environment))
        {
            return InClusterConfig.Load(environment);
        }

        return Load(kubeconfigPath, context, environment);
    }

    /// <summary>Loads the named or merged kubeconfig and builds the configuration of one context.</summary>
    public static KubernetesClientConfiguration Load(
        string? kubeconfigPath = null, string? context = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrEmpty(kubeconfigPath) && !File.Exists(kubeconfigPath))
        {
            throw new KubeConfigException($"kubeconfig {kubeconfigPath} does not exist");
        }

        var merged = new MergedConfig();
        foreach (var path in ResolvePaths(kubeconfigPath, environment).Where(File.Exists))
        {
            merged.Add(path);
        }

        var contextName = string.IsNullOrEmpty(context) ? merged.CurrentContext : context;
        if (string.IsNullOrEmpty(contextName))
        {
            throw new KubeConfigException("no context chosen: the kubeconfig has no current-context and --context was not given");
        }

        var ctx = merged.Find(merged.Contexts, contextName, "context");
        var ctxBody = Map(ctx.Body, "context");
        var clusterName = Text(ctxBody, "cluster") ?? throw new KubeConfigException($"context {contextName} names no cluster");
        var cluster = merged.Find(merged.Clusters, clusterName, "cluster");
        var clusterBody = Map(cluster.Body, "cluster");
        var userName = Text(ctxBody, "user");
        var config = new KubernetesClientConfiguration
        {
            Server = ParseServer(Text(clusterBody, "server"), clusterName),
            Namespace = Text(ctxBody, "namespace") is { Length: > 0 } ns ? ns : "default",
            InsecureSkipTlsVerify = string.Equals(Text(clusterBody, "insecure-skip-tls-verify"), "true", StringComparison.OrdinalIgnoreCase),
            CertificateAuthorities = LoadCertificates(
                Text(clusterBody, "certificate-authority-data"), Text(clusterBody, "certificate-authority"), cluster.Directory),
            ContextName = contextName,
        };
        return string.IsNullOrEmpty(userName)
            ? config
            : ApplyUser(config, merged.Find(merged.Users, userName, "user"));
    }

    /// <summary>The files consulted, in merge order.</summary>
    public static IReadOnlyList<string> ResolvePaths(string? kubeconfigPath, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrEmpty(kubeconfigPath))
        {
            return [kubeconfigPath];
        }

        var list = environment("KUBECONFIG");
        if (!string.IsNullOrEmpty(list))
        {
            return list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }

        var home = environment("HOME") ?? environment("USERPROFILE") ?? "";
        return [Path.Combine(home, ".kube", "config")];
    }

    private static KubernetesClientConfiguration ApplyUser(KubernetesClientConfiguration config, Entry user)
    {
        var body = Map(user.Body, "user");
        var token = Text(body, "token");
        var tokenFile = Text(body, "tokenFile");
        var certPem = ReadPem(Text(body, "client-certificate-data"), Text(body, "client-certificate"), user.Directory);
        var keyPem = ReadPem(Text(body, "client-key-data"), Text(body, "client-key"), user.Directory);
        if ((certPem is null) != (keyPem is null))
        {
            throw new KubeConfigException($"user {user.Name}: client-certificate and client-key must be given together");
        }

        var username = Text(body, "username");
        if (token is null && tokenFile is null && certPem is null && username is null
            && (body.ContainsKey("exec") || body.ContainsKey("auth-provider")))
        {
            throw new KubeConfigException($"user {user.Name}: exec and auth-provider credential plugins are not supported; use a token or a client certificate");
        }

        return config with
        {
            Token = token is { Length: > 0 } ? BearerTokenSource.FromToken(token)
                : tokenFile is { Length: > 0 } ? BearerTokenSource.FromFile(Resolve(tokenFile, user.Directory))
                : null,
            ClientCertificate = certPem is null ? null : LoadClientCertificate(certPem, keyPem!),
            Username = username,
            Password = Text(body, "password"),
        };
    }

    private static X509Certificate2 LoadClientCertificate(string certPem, string keyPem)
    {
        using var ephemeral = X509Certificate2.CreateFromPem(certPem, keyPem);
        // A round trip through PKCS#12 gives a key that every platform's TLS stack accepts for a
        // client certificate (an ephemeral PEM key is refused by SChannel).
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    private static X509Certificate2Collection? LoadCertificates(string? data, string? file, string directory)
    {
        var pem = ReadPem(data, file, directory);
        if (pem is null)
        {
            return null;
        }

        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        return collection.Count > 0 ? collection : throw new KubeConfigException("certificate-authority holds no PEM certificate");
    }

    private static string? ReadPem(string? base64, string? file, string directory)
    {
        if (!string.IsNullOrEmpty(base64))
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            }
            catch (FormatException e)
            {
                throw new KubeConfigException("a *-data field is not valid base64", e);
            }
        }

        return string.IsNullOrEmpty(file) ? null : File.ReadAllText(Resolve(file, directory));
    }

    private static Uri ParseServer(string? server, string clusterName)
    {
        if (string.IsNullOrEmpty(server) || !Uri.TryCreate(server, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new KubeConfigException($"cluster {clusterName}: server '{server}' is not an http(s) URL");
        }

        return uri;
    }

    private static string Resolve(string path, string directory) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(directory, path));

    private static Dictionary<object, object?> Map(object? node, string what) =>
        node as Dictionary<object, object?> ?? throw new KubeConfigException($"kubeconfig: '{what}' is not a mapping");

    private static string? Text(Dictionary<object, object?> map, string key) =>
        map.TryGetValue(key, out var value) ? value?.ToString() : null;

    private sealed record Entry(string Name, object? Body, string Directory);

    // The union of the files, first definition winning (kubectl's merge rule for named maps).
    private sealed class MergedConfig
    {
        public Dictionary<string, Entry> Clusters { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Entry> Users { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Entry> Contexts { get; } = new(StringComparer.Ordinal);

        public string? CurrentContext { get; private set; }

        public void Add(string path)
        {
            object? root;
            try
            {
                root = new DeserializerBuilder().Build().Deserialize<object?>(File.ReadAllText(path));
            }
            catch (YamlDotNet.Core.YamlException e)
            {
                throw new KubeConfigException($"kubeconfig {path} is not valid YAML: {e.Message}", e);
            }

            if (root is null)
            {
                return; // an empty file contributes nothing, as with kubectl
            }

            var map = Map(root, path);
            var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            if (string.IsNullOrEmpty(CurrentContext))
            {
                CurrentContext = Text(map, "current-context");
            }

            AddNamed(map, "clusters", "cluster", Clusters, directory);
            AddNamed(map, "users", "user", Users, directory);
            AddNamed(map, "contexts", "context", Contexts, directory);
        }

        public Entry Find(Dictionary<string, Entry> entries, string name, string what) =>
            entries.TryGetValue(name, out var entry)
                ? entry
                : throw new KubeConfigException($"{what} \"{name}\" is not defined in the kubeconfig");

        private static void AddNamed(
            Dictionary<object, object?> map, string listKey, string bodyKey, Dictionary<string, Entry> into, string directory)
        {
            if (!map.TryGetValue(listKey, out var list) || list is not List<object?> items)
            {
                return;
            }

            foreach (var item in items.OfType<Dictionary<object, object?>>())
            {
                var name = Text(item, "name");
                if (!string.IsNullOrEmpty(name) && !into.ContainsKey(name))
                {
                    into[name] = new Entry(name, item.GetValueOrDefault(bodyKey), directory);
                }
            }
        }
    }
}
