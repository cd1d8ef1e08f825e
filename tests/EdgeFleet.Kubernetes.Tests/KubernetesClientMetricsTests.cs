using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;

namespace EdgeFleet.Kubernetes.Tests;

public sealed class KubernetesClientMetricsTests : ApiServerFixture
{
    [Fact]
    public async Task Requests_RetriedRead_CountsEveryAttemptAndRetry()
    {
        using var meter = new Meter("test-" + Guid.NewGuid().ToString("N"));
        var counts = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name + ":" + string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"));
            counts.AddOrUpdate(key, value, (_, total) => total + value);
        });
        listener.Start();
        using var client = new KubernetesClient(Server.ClientConfiguration(), FastRetries with { Meter = meter });

        await client.CreateAsync(ResourceType.ConfigMaps, ConfigMap("a"));
        Server.FailNext(2, HttpStatusCode.ServiceUnavailable, method: "GET");
        await client.GetAsync(ResourceType.ConfigMaps, "default", "a");

        Assert.Equal(1, counts["edgefleet_kubernetes_requests_total:method=POST,code=201"]);
        Assert.Equal(2, counts["edgefleet_kubernetes_requests_total:method=GET,code=503"]);
        Assert.Equal(1, counts["edgefleet_kubernetes_requests_total:method=GET,code=200"]);
        Assert.Equal(2, counts["edgefleet_kubernetes_retries_total:method=GET,reason=503"]);
    }
}
