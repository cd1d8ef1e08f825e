using System.Globalization;
using EdgeFleet.TestSupport;

namespace EdgeFleet.Cache.FunctionalTests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_AfterTraffic_CountRequestsByStatusAndPassPromtool()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/m", 200, "metered", ("Cache-Control", "max-age=60"));
        origin.On("/pass", 200, "x", ("Cache-Control", "no-store"));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);
        for (var i = 0; i < 3; i++)
        {
            await cache.Client.GetStringAsync("/m");
        }

        await cache.Client.GetStringAsync("/pass");
        await cache.Admin.PostAsync("/admin/purge", new StringContent("""{"urls":["/m"]}"""));

        using var response = await cache.Admin.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(2, Value(text, "edgefleet_cache_requests_total{cache_status=\"hit\"}"));
        Assert.Equal(2, Value(text, "edgefleet_cache_requests_total{cache_status=\"miss\"}"));
        Assert.Equal(14, Value(text, "edgefleet_cache_response_bytes_total{cache_status=\"hit\"}"));
        Assert.Equal(2, Value(text, "edgefleet_origin_requests_total{purpose=\"fill\",result=\"2xx\"}"));
        Assert.Equal(1, Value(text, "edgefleet_cache_purged_objects_total{mode=\"hard\"}"));
        Assert.Equal(0, Value(text, "edgefleet_storage_objects"));
        Assert.Contains("edgefleet_origin_request_duration_seconds_bucket{purpose=\"fill\",le=\"+Inf\"} 2", text, StringComparison.Ordinal);

        var (exitCode, lint) = await Promtool.CheckMetricsAsync(text);
        Assert.True(exitCode == 0 && lint.Trim().Length == 0, "promtool check metrics: " + lint);
    }

    [Fact]
    public async Task HealthAndReadiness_AnswerOnAdminPort()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        Assert.Equal("ok\n", await cache.Admin.GetStringAsync("/healthz"));
        Assert.Equal("ready\n", await cache.Admin.GetStringAsync("/readyz"));
        Assert.Equal("drained\n", await cache.Admin.GetStringAsync("/drain"));
        using var draining = await cache.Admin.GetAsync("/readyz");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, draining.StatusCode);
        Assert.Equal("draining\n", await draining.Content.ReadAsStringAsync());
        using var stillServing = await cache.Client.GetAsync("/anything");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, stillServing.StatusCode);
    }

    private static double Value(string exposition, string series)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }

        throw new Xunit.Sdk.XunitException($"series {series} not found in:\n{exposition}");
    }
}
