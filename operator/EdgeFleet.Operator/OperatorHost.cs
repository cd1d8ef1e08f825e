using System.Diagnostics.Metrics;
using EdgeFleet.Kubernetes;
using EdgeFleet.Metrics;
using EdgeFleet.Operator.Controllers;
using EdgeFleet.Operator.Reconcilers;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Operator;

/// <summary>Builds the operator process: options, the Kubernetes client, the runtime, and the metrics and health listener.</summary>
internal static class OperatorHost
{
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configure = null)
    {
        if (OperatorCommandLine.FindUnknown(args) is { } unknown)
        {
            throw new ArgumentException($"unknown option {unknown}");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(args, OperatorCommandLine.Switches);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });

        var services = builder.Services;
        services.AddOptions<OperatorOptions>().BindConfiguration(OperatorOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OperatorOptions>, OperatorOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new PrometheusExporter(new PrometheusExporterOptions
        {
            MeterNamePrefix = "EdgeFleet",
            MeterScope = sp.GetRequiredService<IMeterFactory>(),
        }));
        services.TryAddSingleton(sp => new ControllerMetrics(sp.GetRequiredService<IMeterFactory>()));
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<OperatorOptions>>().Value;
            var configuration = KubeConfigLoader.LoadDefault(o.Kubeconfig, o.Context);
            var clientOptions = new KubernetesClientOptions
            {
                TimeProvider = sp.GetRequiredService<TimeProvider>(),
                Meter = sp.GetRequiredService<IMeterFactory>().Create("EdgeFleet.Kubernetes"),
                UserAgent = "edgefleet-operator/0.1",
            };
            return new KubernetesClient(configuration, clientOptions, sp.GetRequiredService<ILogger<KubernetesClient>>());
        });
        services.TryAddSingleton<IShieldEndpoints, ClusterShieldEndpoints>();
        services.TryAddSingleton<IEdgeEndpoints, ClusterEdgeEndpoints>();
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<OperatorOptions>>().Value;
            var shieldHttp = new HttpClient(new SocketsHttpHandler { ConnectTimeout = o.ShieldTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            {
                Timeout = Timeout.InfiniteTimeSpan, // each request has its own, in ShieldAdminClient and EdgePurgeClient
            };
            return new OperatorRuntime(
                sp.GetRequiredService<KubernetesClient>(), o, sp.GetRequiredService<IShieldEndpoints>(), sp.GetRequiredService<IEdgeEndpoints>(), shieldHttp,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<ControllerMetrics>(),
                o.ResolveIdentity(Environment.GetEnvironmentVariable));
        });
        services.AddHostedService<OperatorService>();
        services.AddRoutingCore();
        configure?.Invoke(services);

        builder.WebHost.UseUrls(builder.Configuration[$"{OperatorOptions.Section}:{nameof(OperatorOptions.MetricsListen)}"] ?? new OperatorOptions().MetricsListen);
        var app = builder.Build();

        // The exporter must listen before the first instrument is created.
        app.Services.GetRequiredService<PrometheusExporter>();
        app.MapGet("/metrics", async (HttpContext context, PrometheusExporter exporter) =>
        {
            context.Response.ContentType = PrometheusExporter.ContentType;
            await exporter.WriteToAsync(context.Response.Body, context.RequestAborted);
        });
        app.MapGet("/healthz", () => Results.Text("ok\n"));

        // A standby replica is ready (it is healthy and waiting); a leader once its informers have synced.
        app.MapGet("/readyz", (OperatorRuntime runtime) => !runtime.IsLeading || runtime.HasSynced
            ? Results.Text(runtime.IsLeading ? "ready: leading\n" : "ready: standby\n")
            : Results.Text("syncing\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        return app;
    }
}
