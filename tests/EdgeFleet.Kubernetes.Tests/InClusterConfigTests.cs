using EdgeFleet.Kubernetes.Testing;

namespace EdgeFleet.Kubernetes.Tests;

public sealed class InClusterConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("serviceaccount-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_ServiceAccountFiles_BuildsConfiguration()
    {
        using var ca = TestCertificates.Create("cluster-ca", server: true);
        File.WriteAllText(Path.Combine(_dir, "token"), "sa-token\n");
        File.WriteAllText(Path.Combine(_dir, "ca.crt"), TestCertificates.CertificatePem(ca));
        File.WriteAllText(Path.Combine(_dir, "namespace"), "edgefleet-system");

        var config = InClusterConfig.Load(Env("10.96.0.1", "443"), InClusterPaths.Under(_dir));

        Assert.Equal(new Uri("https://10.96.0.1:443"), config.Server);
        Assert.Equal("edgefleet-system", config.Namespace);
        Assert.Equal("sa-token", config.Token!.GetToken());
        Assert.Equal(ca.Thumbprint, Assert.Single(config.CertificateAuthorities!).Thumbprint);
    }

    [Fact]
    public void Load_Ipv6ServiceHost_BracketsAddress()
    {
        File.WriteAllText(Path.Combine(_dir, "token"), "t");

        var config = InClusterConfig.Load(Env("fd00::1", "6443"), InClusterPaths.Under(_dir));

        Assert.Equal("[fd00::1]", config.Server.Host);
        Assert.Equal("default", config.Namespace);
    }

    [Fact]
    public void Load_NotInPod_ExplainsWhy()
    {
        var e = Assert.Throws<InvalidOperationException>(() => InClusterConfig.Load(_ => null, InClusterPaths.Under(_dir)));

        Assert.Contains("KUBERNETES_SERVICE_HOST", e.Message, StringComparison.Ordinal);
        Assert.False(InClusterConfig.IsInCluster(_ => null, InClusterPaths.Under(_dir)));
    }

    [Fact]
    public void Token_FileRotated_ReadAgainAfterRefreshInterval()
    {
        var path = Path.Combine(_dir, "token");
        File.WriteAllText(path, "first");
        var clock = new ManualTimeProvider();
        var source = BearerTokenSource.FromFile(path, TimeSpan.FromMinutes(1), clock);

        File.WriteAllText(path, "second");
        var beforeRefresh = source.GetToken();
        clock.Advance(TimeSpan.FromMinutes(1));
        var afterRefresh = source.GetToken();

        Assert.Equal("first", beforeRefresh);
        Assert.Equal("second", afterRefresh);
    }

    private static Func<string, string?> Env(string host, string port) => name => name switch
    {
        "KUBERNETES_SERVICE_HOST" => host,
        "KUBERNETES_SERVICE_PORT" => port,
        _ => null,
    };
}
