using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Direct;

/// <summary>
/// The public listener's hit path outside Kestrel's HTTP layer. Measured on this kind of machine,
/// Kestrel writing a stored 64 KiB or 1 MiB body reaches about two thirds of what nginx, Varnish
/// and Traffic Server serve, and a raw socket writing the same bytes reaches all of it: every body
/// goes through Kestrel's output pipe in 4 KiB blocks (a copy, a pool rent and an iovec per block)
/// and a thread hop to the sender. Here a plain GET or HEAD for a stored object is answered on the
/// socket itself, by the same middleware (fleet fields, then the cache's stored-response path),
/// and everything else is still Kestrel's (<see cref="DirectConnection"/>).
/// </summary>
internal sealed class DirectPath(IServiceProvider services, TimeProvider time, IOptions<KestrelServerOptions> kestrel, IOptions<CacheServerOptions> options, ILogger<DirectPath> logger)
{
    private RequestDelegate? _answer;

    public TimeProvider Time => time;

    /// <summary>Kestrel's limits on a request head, so an oversized one gets its 414 or 431 from Kestrel.</summary>
    public long MaxHeadBytes { get; } = kestrel.Value.Limits.MaxRequestHeadersTotalSize + kestrel.Value.Limits.MaxRequestLineSize;

    public TimeSpan KeepAliveTimeout { get; } = kestrel.Value.Limits.KeepAliveTimeout;

    /// <summary>Kestrel's minimum response data rate, applied to the direct path's sends too (null: none).</summary>
    public MinDataRate? MinResponseDataRate { get; } = kestrel.Value.Limits.MinResponseDataRate;

    public TimeSpan HeadTimeout { get; } = kestrel.Value.Limits.RequestHeadersTimeout;

    /// <summary>The cap on a connection's unsent bytes (<see cref="CacheServerOptions.UnsentLimit"/>); 0: none set.</summary>
    public int UnsentLimitBytes { get; } = options.Value.UnsentLimitBytes;

    /// <summary>Installs the direct path in front of Kestrel's HTTP layer on a listener.</summary>
    public static void Use(ListenOptions listen) => listen.Use(kestrelSide => connection =>
    {
        // Only a socket can take stored bytes directly; other transports stay with Kestrel.
        if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket)
        {
            return kestrelSide(connection);
        }

        var path = listen.ApplicationServices.GetRequiredService<DirectPath>();
        return new DirectConnection(connection, kestrelSide, path, socket).RunAsync();
    });

    /// <summary>
    /// First in the public pipeline under Kestrel: tells a direct connection when a request it
    /// handed over has been answered, and whether Kestrel will close the connection after it.
    /// </summary>
    public static Task WatchHandedOver(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<DirectConnection>() is { } connection)
        {
            context.Response.OnCompleted(static state =>
            {
                var context = (HttpContext)state;
                context.Features.Get<DirectConnection>()!.KestrelResponded(DirectResponseWriter.SaysClose(context.Response.Headers.Connection));
                return Task.CompletedTask;
            }, context);
        }

        return next(context);
    }

    /// <summary>Answers from storage what can be; false, with nothing written, for the rest.</summary>
    public async Task<bool> AnswerAsync(DirectExchange exchange)
    {
        _answer ??= Build();
        await _answer(exchange.Context);
        return exchange.Answered;
    }

    public void Failed(Exception ex) => Log.DirectPathFailed(logger, ex);

    private RequestDelegate Build()
    {
        var fleet = services.GetRequiredService<Fleet.FleetHeaderMiddleware>();
        var cache = services.GetRequiredService<CacheMiddleware>();
        return context => fleet.InvokeAsync(context, async context =>
        {
            if (await cache.TryAnswerFromStoreAsync(context))
            {
                ((DirectExchange)context.Features.Get<IHttpRequestFeature>()!).Answered = true;
            }
        });
    }
}
