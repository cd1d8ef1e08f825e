namespace EdgeFleet.Kubernetes.Tests;

public sealed class KubeConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_TokenUserAndContextNamespace_BuildsConfiguration()
    {
        var path = Write("config", """
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
            - name: c1
              cluster:
                server: https://10.1.2.3:6443
                insecure-skip-tls-verify: true
            users:
            - name: u1
              user:
                token: s3cr3t
            contexts:
            - name: dev
              context:
                cluster: c1
                user: u1
                namespace: edge
            """);

        var config = KubeConfigLoader.Load(path, environment: NoEnvironment);

        Assert.Equal(new Uri("https://10.1.2.3:6443"), config.Server);
        Assert.Equal("edge", config.Namespace);
        Assert.True(config.InsecureSkipTlsVerify);
        Assert.Equal("s3cr3t", config.Token!.GetToken());
        Assert.Equal("dev", config.ContextName);
    }

    [Fact]
    public void Load_ContextOverride_SelectsOtherContextAndDefaultNamespace()
    {
        var path = Write("config", TwoContexts);

        var config = KubeConfigLoader.Load(path, context: "prod", environment: NoEnvironment);

        Assert.Equal(new Uri("https://prod.example:443"), config.Server);
        Assert.Equal("default", config.Namespace);
        Assert.Equal("alice", config.Username);
        Assert.Equal("pw", config.Password);
    }

    [Fact]
    public void Load_ClientCertificateAndCaData_LoadsPemMaterial()
    {
        using var client = TestCertificates.Create("edgefleet-user", server: false);
        using var ca = TestCertificates.Create("edgefleet-ca", server: true);
        var path = Write("config", $"""
            current-context: x
            clusters:
            - name: c
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority-data: {TestCertificates.Base64(TestCertificates.CertificatePem(ca))}
            users:
            - name: u
              user:
                client-certificate-data: {TestCertificates.Base64(TestCertificates.CertificatePem(client))}
                client-key-data: {TestCertificates.Base64(TestCertificates.KeyPem(client))}
            contexts:
            - name: x
              context: {"{"}cluster: c, user: u{"}"}
            """);

        var config = KubeConfigLoader.Load(path, environment: NoEnvironment);

        Assert.Equal(client.Thumbprint, config.ClientCertificate!.Thumbprint);
        Assert.True(config.ClientCertificate.HasPrivateKey);
        Assert.Equal(ca.Thumbprint, Assert.Single(config.CertificateAuthorities!).Thumbprint);
        Assert.Null(config.Token);
    }

    [Fact]
    public void Load_RelativeFiles_ResolvedAgainstKubeconfigDirectory()
    {
        using var client = TestCertificates.Create("edgefleet-user", server: false);
        Directory.CreateDirectory(Path.Combine(_dir, "creds"));
        File.WriteAllText(Path.Combine(_dir, "creds", "token"), "from-file\n");
        File.WriteAllText(Path.Combine(_dir, "creds", "ca.pem"), TestCertificates.CertificatePem(client));
        var path = Write("config", """
            current-context: x
            clusters:
            - name: c
              cluster: {server: "http://127.0.0.1:8080", certificate-authority: creds/ca.pem}
            users:
            - name: u
              user: {tokenFile: creds/token}
            contexts:
            - name: x
              context: {cluster: c, user: u}
            """);

        var config = KubeConfigLoader.Load(path, environment: NoEnvironment);

        Assert.Equal("from-file", config.Token!.GetToken());
        Assert.Equal(Path.Combine(_dir, "creds", "token"), config.Token.FilePath);
        Assert.Single(config.CertificateAuthorities!);
        Assert.Equal("http", config.Server.Scheme);
    }

    [Fact]
    public void Load_KubeconfigList_MergesWithFirstDefinitionWinning()
    {
        var first = Write("first", """
            clusters:
            - name: shared
              cluster: {server: "https://first.example"}
            users:
            - name: u
              user: {token: first-token}
            contexts:
            - name: dev
              context: {cluster: shared, user: u, namespace: from-first}
            """);
        var second = Write("second", """
            current-context: dev
            clusters:
            - name: shared
              cluster: {server: "https://second.example"}
            - name: only-second
              cluster: {server: "https://only-second.example"}
            contexts:
            - name: dev
              context: {cluster: only-second, user: u}
            - name: other
              context: {cluster: only-second, user: u}
            """);
        var missing = Path.Combine(_dir, "does-not-exist");
        var environment = Environment(("KUBECONFIG", string.Join(Path.PathSeparator, first, missing, second)));

        var current = KubeConfigLoader.Load(environment: environment);
        var other = KubeConfigLoader.Load(context: "other", environment: environment);

        Assert.Equal(new Uri("https://first.example"), current.Server);
        Assert.Equal("from-first", current.Namespace);
        Assert.Equal("first-token", current.Token!.GetToken());
        Assert.Equal(new Uri("https://only-second.example"), other.Server);
    }

    [Fact]
    public void Load_NoKubeconfigVariable_ReadsHomeKubeConfig()
    {
        Directory.CreateDirectory(Path.Combine(_dir, ".kube"));
        File.WriteAllText(Path.Combine(_dir, ".kube", "config"), TwoContexts);

        var config = KubeConfigLoader.Load(environment: Environment(("HOME", _dir)));

        Assert.Equal(new Uri("https://dev.example:6443"), config.Server);
    }

    [Fact]
    public void Load_ExplicitFileMissing_NamesTheFile()
    {
        var missing = Path.Combine(_dir, "nope");

        var e = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(missing, environment: NoEnvironment));

        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownContext_NamesTheContext()
    {
        var path = Write("config", TwoContexts);

        var e = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(path, "staging", NoEnvironment));

        Assert.Contains("\"staging\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExecPluginOnly_ReportsUnsupported()
    {
        var path = Write("config", """
            current-context: x
            clusters:
            - name: c
              cluster: {server: "https://eks.example"}
            users:
            - name: u
              user:
                exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws}
            contexts:
            - name: x
              context: {cluster: c, user: u}
            """);

        var e = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(path, environment: NoEnvironment));

        Assert.Contains("exec", e.Message, StringComparison.Ordinal);
    }

    private const string TwoContexts = """
        current-context: dev
        clusters:
        - name: dev
          cluster: {server: "https://dev.example:6443"}
        - name: prod
          cluster: {server: "https://prod.example:443"}
        users:
        - name: dev
          user: {token: dev-token}
        - name: alice
          user: {username: alice, password: pw}
        contexts:
        - name: dev
          context: {cluster: dev, user: dev}
        - name: prod
          context: {cluster: prod, user: alice}
        """;

    private static string? NoEnvironment(string name) => null;

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private string Write(string name, string yaml)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }
}
