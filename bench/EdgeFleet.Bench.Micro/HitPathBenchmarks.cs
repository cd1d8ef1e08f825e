using BenchmarkDotNet.Attributes;
using EdgeFleet.Cache;
using EdgeFleet.Http;
using EdgeFleet.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeFleet.Bench.Micro;

/// <summary>
/// A whole memory hit through the cache's request handler, against a baseline handler that writes
/// the same status, fields and body. Both build the same <see cref="DefaultHttpContext"/>, so the
/// difference in allocated bytes is what the cache adds per hit.
/// </summary>
[MemoryDiagnoser]
public class HitPathBenchmarks
{
    private static readonly byte[] Body = new byte[1024];

    // The baseline writes preformatted values, as a handler that keeps a response ready would.
    private static readonly string[] Fields =
        ["public, max-age=86400", HttpDate.Format(DateTimeOffset.UtcNow), "\"abc\"", "image/png", "1.1 EdgeFleet", "EdgeFleet; hit; ttl=86399"];
    private WebApplication? _app;
    private CacheMiddleware? _cache;

    [GlobalSetup]
    public void Setup()
    {
        _app = CacheServerHost.Build(["--origin", "http://127.0.0.1:9", "--listen", "http://127.0.0.1:0", "--admin-listen", "http://127.0.0.1:0"]);
        _cache = _app.Services.GetRequiredService<CacheMiddleware>();
        var now = DateTimeOffset.UtcNow;
        var head = new ResponseHead(
            200,
            new HeaderFields(
            [
                new("Cache-Control", ["public, max-age=86400"]),
                new("Date", [HttpDate.Format(now)]),
                new("ETag", ["\"abc\""]),
                new("Content-Type", ["image/png"]),
                new("Content-Length", ["1024"]),
                new("Via", ["1.1 EdgeFleet"]),
            ]),
            now,
            now);
        var store = _app.Services.GetRequiredService<IObjectStore>();
        store.Put("/hit.png", CachedEntrySerializer.Serialize(CachedEntry.ForResponse(head)), Body, []);
    }

    [GlobalCleanup]
    public void Cleanup() => _app?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public async Task BaselineHandler()
    {
        var context = NewContext();
        var response = context.Response;
        response.StatusCode = 200;
        response.Headers.CacheControl = Fields[0];
        response.Headers.Date = Fields[1];
        response.Headers.ETag = Fields[2];
        response.Headers.ContentType = Fields[3];
        response.Headers.Via = Fields[4];
        response.Headers.Age = "0";
        response.Headers["Cache-Status"] = Fields[5];
        response.ContentLength = Body.Length;
        await response.BodyWriter.WriteAsync(Body);
    }

    [Benchmark]
    public Task CacheHit() => _cache!.InvokeAsync(NewContext());

    private static DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/hit.png";
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = "/hit.png";
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        return context;
    }
}
