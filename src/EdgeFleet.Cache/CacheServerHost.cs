using EdgeFleet.Http;
using EdgeFleet.Metrics;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache;

/// <summary>Builds the cache server: configuration, services, the two listeners and their pipelines.</summary>
public static class CacheServerHost
{
    // Room for a 1 MiB object and its head, so such a hit is written without waiting.
    private const long ResponseBufferBytes = 2 * 1024 * 1024;

    /// <summary>
    /// Builds the application from command-line arguments. Throws <see cref="ArgumentException"/>
    /// for an unknown option; invalid settings fail in <c>StartAsync</c> with
    /// <see cref="OptionsValidationException"/>.
    /// </summary>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configure = null)
    {
        var (rest, configFile, error) = CommandLine.Parse(args);
        if (error is not null)
        {
            throw new ArgumentException(error);
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = rest });
        if (configFile is not null)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }

        builder.Configuration.AddEnvironmentVariables();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Configuration.AddCommandLine(rest, CommandLine.Switches);

        var services = builder.Services;
        services.AddOptions<CacheServerOptions>().BindConfiguration(CacheServerOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CacheServerOptions>, CacheServerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<CacheServerOptions>>().Value;
            return new CachePolicyOptions { DefaultTtl = o.DefaultTtl };
        });
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<CacheServerOptions>>().Value;

            // A shield answers edges, which need the origin's own freshness: the downstream
            // policy is what edges tell browsers and ISP proxies.
            if (sp.GetRequiredService<IOptions<EdgeFleet.Cache.Fleet.FleetOptions>>().Value.IsShield)
            {
                return DownstreamPolicy.None;
            }

            return new DownstreamPolicy(o.Downstream
                .Select(r => new DownstreamRule { ContentTypes = r.ContentTypes, CacheControl = r.CacheControl, Expires = r.Expires })
                .ToList());
        });
        services.TryAddSingleton(ObjectStoreFactory.Create);
        services.TryAddSingleton(sp => new PrometheusExporter(new PrometheusExporterOptions
        {
            MeterNamePrefix = "EdgeFleet",
            MeterScope = sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
        }));
        services.TryAddSingleton<CacheMetrics>();
        services.TryAddSingleton<OriginClient>();
        services.TryAddSingleton<RequestCoalescer>();
        services.TryAddSingleton<StoredResponseWriter>();
        services.TryAddSingleton<CacheMiddleware>();
        services.TryAddSingleton<Direct.DirectPath>();
        services.TryAddSingleton<PurgeService>();
        services.TryAddSingleton<Readiness>();
        services.TryAddSingleton<DrainService>();
        services.AddHostedService(sp => sp.GetRequiredService<DrainService>());
        services.AddRoutingCore();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(120));
        Fleet.FleetServices.Add(services);
        configure?.Invoke(services);

        var endpoints = new ListenerEndpoints();
        services.AddSingleton(endpoints);
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var o = context.Configuration.GetSection(CacheServerOptions.Section).Get<CacheServerOptions>() ?? new CacheServerOptions();
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
            kestrel.Limits.MaxRequestHeaderCount = 100;

            // Kestrel's own limits (timeouts, sizes) may be tuned as Kestrel:Limits:<Name>; the
            // direct path applies the same ones.
            try
            {
                context.Configuration.GetSection("Kestrel:Limits").Bind(kestrel.Limits);
            }
            catch (InvalidOperationException ex)
            {
                // The binder's message names the setting and the value.
                throw new ArgumentException(ex.Message, ex);
            }

            kestrel.Limits.MinResponseDataRate = ReadDataRate(context.Configuration.GetSection("Kestrel:Limits:MinResponseDataRate"), kestrel.Limits.MinResponseDataRate);
            kestrel.Limits.MinRequestBodyDataRate = ReadDataRate(context.Configuration.GetSection("Kestrel:Limits:MinRequestBodyDataRate"), kestrel.Limits.MinRequestBodyDataRate);

            // A hit is written in one go; with a 64 KiB response buffer every write of a larger
            // object waits for the socket to drain before it returns, one round trip through the
            // scheduler per response. Slow clients still get back-pressure beyond this bound.
            kestrel.Limits.MaxResponseBufferSize = ResponseBufferBytes;

            // Origins may send Latin-1 field values; pass them on rather than fail the response.
            kestrel.ResponseHeaderEncodingSelector = _ => System.Text.Encoding.Latin1;
            if (ListenerAddress.TryParse(o.Listen, out var pub))
            {
                // The public address as a PublicEndPoint is what the event loops bind.
                System.Net.IPEndPoint publicEndPoint = IoThreads.UsesEventLoops(o) ? new Transport.PublicEndPoint(pub.Address, pub.Port) : new(pub.Address, pub.Port);
                kestrel.Listen(publicEndPoint, l =>
                {
                    l.Protocols = HttpProtocols.Http1;
                    endpoints.Public = l;
                    if (o.DirectHits)
                    {
                        Direct.DirectPath.Use(l);
                    }
                });
            }

            if (ListenerAddress.TryParse(o.AdminListen, out var admin))
            {
                kestrel.Listen(admin.Address, admin.Port, l => { l.Protocols = HttpProtocols.Http1; endpoints.Admin = l; });
            }
        });

        // Where the public connections are read and run (IoThreads).
        var threading = builder.Configuration.GetSection(CacheServerOptions.Section).Get<CacheServerOptions>() ?? new CacheServerOptions();

        // On plain HTTP the socket transport's own output pipe is the response buffer, and its
        // default (64 KiB) applies whatever Kestrel's limit says: measured, a 64 KiB hit cost about
        // a sixth more CPU with it than with this bound.
        builder.WebHost.UseSockets(sockets =>
        {
            sockets.MaxWriteBufferSize = ResponseBufferBytes;
            sockets.UnsafePreferInlineScheduling = IoThreads.KestrelInlineScheduling(threading);
        });

        // Registered after the socket transport: Kestrel asks the last registered factory first,
        // and this one binds only the public listener.
        if (IoThreads.UsesEventLoops(threading))
        {
            services.AddSingleton(sp => new Transport.EventLoopTransport(threading.EventLoopCount, sp.GetRequiredService<ILogger<Transport.EventLoopTransport>>()));
            services.AddSingleton<Microsoft.AspNetCore.Connections.IConnectionListenerFactory>(sp => sp.GetRequiredService<Transport.EventLoopTransport>());
        }

        var app = builder.Build();
        app.Use(Direct.DirectPath.WatchHandedOver);
        app.MapWhen(
            context => endpoints.IsAdmin(context),
            admin =>
            {
                // Admin connections are read on event threads; their handlers may block. (Public
                // requests Kestrel serves come to it through a direct connection's pipes, whose
                // continuations already run on the thread pool.)
                admin.Use(IoThreads.LeaveWithBodyAsync);
                admin.UseRouting();
                admin.UseEndpoints(e =>
                {
                    AdminEndpoints.Map(e);
                    Fleet.FleetAdminEndpoints.Map(e);
                });
            });
        // The exporter must listen before the first instrument is created.
        app.Services.GetRequiredService<PrometheusExporter>();
        ObjectStoreFactory.AttachDisk(app.Services);
        var cache = app.Services.GetRequiredService<CacheMiddleware>();
        var fleet = app.Services.GetRequiredService<Fleet.FleetHeaderMiddleware>();
        app.Use(fleet.InvokeAsync);
        app.Run(cache.InvokeAsync);

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var o = app.Services.GetRequiredService<IOptions<CacheServerOptions>>().Value;
            app.Services.GetRequiredService<Readiness>().MarkStarted();
            Log.Started(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeFleet.Cache"), endpoints.PublicUrl, endpoints.AdminUrl, o.Origin!, o.MemoryBytes, IoThreads.HitsOnEventThreads(o));
        });
        return app;
    }

    /// <summary>
    /// A Kestrel data rate from <c>BytesPerSecond</c> and <c>GracePeriod</c> under
    /// <paramref name="section"/> (the configuration binder cannot set a <see cref="MinDataRate"/>,
    /// whose members are read-only); <c>BytesPerSecond=0</c> turns the limit off.
    /// </summary>
    internal static MinDataRate? ReadDataRate(IConfigurationSection section, MinDataRate? current)
    {
        if (!section.Exists())
        {
            return current;
        }

        var rate = current?.BytesPerSecond ?? 240;
        var grace = current?.GracePeriod ?? TimeSpan.FromSeconds(5);
        if (section["BytesPerSecond"] is { } r && (!double.TryParse(r, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out rate) || rate < 0))
        {
            throw new ArgumentException($"{section.Path}:BytesPerSecond must be a number of bytes per second (0 for no limit), got '{r}'");
        }

        if (section["GracePeriod"] is { } g && (!TimeSpan.TryParse(g, System.Globalization.CultureInfo.InvariantCulture, out grace) || grace <= TimeSpan.FromSeconds(1)))
        {
            throw new ArgumentException($"{section.Path}:GracePeriod must be a time span above 1 s (hh:mm:ss), got '{g}'");
        }

        return rate == 0 ? null : new MinDataRate(rate, grace);
    }
}
