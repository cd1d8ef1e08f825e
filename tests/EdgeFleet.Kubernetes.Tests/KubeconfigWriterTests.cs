using EdgeFleet.Kubernetes.Testing;

namespace EdgeFleet.Kubernetes.Tests;

public sealed class KubeconfigWriterTests : ApiServerFixture
{
    [Fact]
    public async Task Write_DoubleKubeconfig_LoadsIntoWorkingClient()
    {
        var dir = Directory.CreateTempSubdirectory("writer-").FullName;
        try
        {
            var path = KubeconfigWriter.Write(Path.Combine(dir, "config"), Server, @namespace: "edge");

            var config = KubeConfigLoader.LoadDefault(path, environment: _ => null);
            using var client = new KubernetesClient(config);
            await client.CreateAsync(ResourceType.Origins, KubernetesJson.Parse("""{"metadata":{"name":"web"},"spec":{"url":"http://o"}}"""));

            Assert.Equal("edge", config.Namespace);
            Assert.NotNull(Server.Get(ResourceType.Origins, "edge", "web"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
