using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.FunctionalTests;

/// <summary>Bad configuration fails at start with a message that names the setting.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("EdgeFleet:Origin (--origin) is required", new string[0])]
    [InlineData("EdgeFleet:Origin (--origin) must be an absolute http or https URL", new[] { "--origin", "ftp://x" })]
    [InlineData("EdgeFleet:MemorySize (--memory-size)", new[] { "--origin", "http://127.0.0.1:1", "--memory-size", "lots" })]
    [InlineData("EdgeFleet:UnsentLimit (--unsent-limit)", new[] { "--origin", "http://127.0.0.1:1", "--unsent-limit", "1KiB" })]
    [InlineData("EdgeFleet:UnsentLimit (--unsent-limit)", new[] { "--origin", "http://127.0.0.1:1", "--unsent-limit", "some" })]
    [InlineData("EdgeFleet:EventLoops (--event-loops)", new[] { "--origin", "http://127.0.0.1:1", "--event-loops", "-1" })]
    [InlineData("EdgeFleet:EventLoops (--event-loops)", new[] { "--origin", "http://127.0.0.1:1", "--event-loops", "257" })]
    [InlineData("EdgeFleet:EventLoops (--event-loops)", new[] { "--origin", "http://127.0.0.1:1", "--event-loops", "many" })]
    [InlineData("EdgeFleet:Listen (--listen)", new[] { "--origin", "http://127.0.0.1:1", "--listen", "not-a-url" })]
    [InlineData("EdgeFleet:AdminListen (--admin-listen) must use a different port", new[] { "--origin", "http://127.0.0.1:1", "--listen", "http://127.0.0.1:18080", "--admin-listen", "http://127.0.0.1:18080" })]
    [InlineData("EdgeFleet:Downstream:0:CacheControl is required", new[] { "--origin", "http://127.0.0.1:1", "--EdgeFleet:Downstream:0:ContentTypes:0=image/*" })]
    public async Task Start_InvalidSetting_FailsNamingTheSetting(string expected, string[] args)
    {
        string[] listeners = args.Contains("--listen") ? [] : ["--listen", "http://127.0.0.1:0", "--admin-listen", "http://127.0.0.1:0"];

        // Validation runs when the server is built or, at the latest, when it starts.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = CacheServerHost.Build([.. args, .. listeners]);
            await app.StartAsync();
        });

        Assert.Contains(error.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--Kestrel:Limits:MinResponseDataRate:BytesPerSecond=fast", "'fast' at 'Kestrel:Limits:MinResponseDataRate:BytesPerSecond'")]
    [InlineData("--Kestrel:Limits:MinResponseDataRate:GracePeriod=00:00:01", "Kestrel:Limits:MinResponseDataRate:GracePeriod must be a time span above 1 s")]
    public async Task Start_InvalidDataRate_FailsNamingTheSetting(string setting, string expected)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await using var app = CacheServerHost.Build(["--origin", "http://127.0.0.1:1", "--listen", "http://127.0.0.1:0", "--admin-listen", "http://127.0.0.1:0", setting]);
            await app.StartAsync();
        });

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UnknownOption_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => CacheServerHost.Build(["--origin", "http://127.0.0.1:1", "--memroy-size", "1GiB"]));

        Assert.Contains("unknown option --memroy-size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Program_InvalidConfiguration_ExitsWithCode2AndMessage()
    {
        var dll = typeof(CacheServerHost).Assembly.Location;
        using var process = Process.Start(new ProcessStartInfo("dotnet", [dll, "--origin", "http://127.0.0.1:1", "--memory-size", "0"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("invalid configuration: EdgeFleet:MemorySize (--memory-size)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Program_SettingsFromConfigFileEnvironmentAndCommandLine_AreLayered()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/x", 200, "x", ("Cache-Control", "max-age=60"));
        var file = Path.Combine(Path.GetTempPath(), $"edgefleet-{Guid.NewGuid():N}.json");
        var port = FreePort();
        await File.WriteAllTextAsync(file, $$$"""{"EdgeFleet": {"Origin": "http://127.0.0.1:1", "CacheName": "FromFile", "DnsTtlSeconds": 0}}""");
        var start = new ProcessStartInfo("dotnet", [typeof(CacheServerHost).Assembly.Location, "--config", file, "--listen", $"http://127.0.0.1:{port}", "--admin-listen", "http://127.0.0.1:0"]);
        start.Environment["EDGEFLEET__ORIGIN"] = origin.Url;
        start.Environment["EDGEFLEET__CACHENAME"] = "FromEnvironment";
        start.RedirectStandardOutput = true;
        using var process = Process.Start(start)!;
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
            HttpResponseMessage? response = null;
            await CacheServerTests.WaitUntilAsync(async () =>
            {
                try
                {
                    response = await client.GetAsync($"http://127.0.0.1:{port}/x");
                    return true;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            });

            // The environment overrides the file: origin and name come from the variables.
            Assert.Equal(System.Net.HttpStatusCode.OK, response!.StatusCode);
            Assert.StartsWith("FromEnvironment;", response.Headers.GetValues("Cache-Status").Single(), StringComparison.Ordinal);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
            File.Delete(file);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
