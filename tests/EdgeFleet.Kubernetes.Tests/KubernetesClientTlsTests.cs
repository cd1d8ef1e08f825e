using EdgeFleet.Kubernetes.Testing;

namespace EdgeFleet.Kubernetes.Tests;

/// <summary>The client's transport against the double served over https with a self-signed certificate.</summary>
public sealed class KubernetesClientTlsTests : IAsyncLifetime
{
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _serverCertificate =
        TestCertificates.Create("edgefleet-apiserver", server: true);

    private FakeApiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeApiServer.StartAsync(_serverCertificate);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _serverCertificate.Dispose();
    }

    [Fact]
    public async Task ListAsync_CaFromKubeconfig_TrustsServer()
    {
        var config = WithCluster($"certificate-authority-data: {TestCertificates.Base64(TestCertificates.CertificatePem(_serverCertificate))}");
        using var client = new KubernetesClient(config, new KubernetesClientOptions { MaxRetries = 0 });

        var list = await client.ListAsync(ResourceType.Pods, "default");

        Assert.Empty(list.Items);
        Assert.Equal("https", config.Server.Scheme);
    }

    [Fact]
    public async Task ListAsync_OtherCa_RefusesServer()
    {
        using var stranger = TestCertificates.Create("some-other-ca", server: true);
        var config = WithCluster($"certificate-authority-data: {TestCertificates.Base64(TestCertificates.CertificatePem(stranger))}");
        using var client = new KubernetesClient(config, new KubernetesClientOptions { MaxRetries = 0 });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.ListAsync(ResourceType.Pods, "default"));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task ListAsync_InsecureSkipTlsVerify_AcceptsServer()
    {
        var config = WithCluster("insecure-skip-tls-verify: true");
        using var client = new KubernetesClient(config, new KubernetesClientOptions { MaxRetries = 0 });

        await client.CreateAsync(ResourceType.ConfigMaps, KubernetesJson.Parse("""{"metadata":{"name":"a"}}"""));

        Assert.NotNull(_server.Get(ResourceType.ConfigMaps, "team", "a"));
    }

    [Fact]
    public async Task ListAsync_ClientCertificateFromKubeconfig_AuthenticatesUser()
    {
        using var userCertificate = TestCertificates.Create("jane", server: false);
        _server.AddCertificateUser(userCertificate, "jane");
        string? seenUser = null;
        _server.Authorize = r =>
        {
            seenUser = r.User;
            return true;
        };
        var config = WithCluster(
            "insecure-skip-tls-verify: true",
            $"client-certificate-data: {TestCertificates.Base64(TestCertificates.CertificatePem(userCertificate))}, "
            + $"client-key-data: {TestCertificates.Base64(TestCertificates.KeyPem(userCertificate))}");
        using var client = new KubernetesClient(config, new KubernetesClientOptions { MaxRetries = 0 });

        await client.ListAsync(ResourceType.Secrets, "team");

        Assert.Null(config.Token);
        Assert.Equal("jane", seenUser);
    }

    private KubernetesClientConfiguration WithCluster(string trustLine, string? userFields = null)
    {
        var dir = Directory.CreateTempSubdirectory("tls-").FullName;
        var path = Path.Combine(dir, "config");
        File.WriteAllText(path, $"""
            current-context: t
            clusters:
            - name: c
              cluster:
                server: {_server.BaseAddress.AbsoluteUri}
                {trustLine}
            users:
            - name: u
              user: {"{"}{userFields ?? "token: " + _server.AdminToken}{"}"}
            contexts:
            - name: t
              context:
                cluster: c
                user: u
                namespace: team
            """);
        try
        {
            return KubeConfigLoader.Load(path, environment: _ => null);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
