using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace EdgeFleet.Cache.FunctionalTests;

public sealed class CacheServerTests
{
    private static async Task<(HttpResponseMessage Response, string Body)> GetAsync(HttpClient client, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static string CacheStatus(HttpResponseMessage response) =>
        string.Join(", ", response.Headers.TryGetValues("Cache-Status", out var values) ? values : []);

    [Fact]
    public async Task Get_SecondRequest_IsServedFromCacheWithHitStatus()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/a.txt", 200, "hello", ("Cache-Control", "max-age=60"), ("Content-Type", "text/plain"));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        var (first, firstBody) = await GetAsync(cache.Client, "/a.txt");
        var (second, secondBody) = await GetAsync(cache.Client, "/a.txt");

        Assert.Equal("hello", firstBody);
        Assert.Equal("hello", secondBody);
        Assert.Contains("fwd=uri-miss", CacheStatus(first), StringComparison.Ordinal);
        Assert.Contains("stored", CacheStatus(first), StringComparison.Ordinal);
        // Remaining freshness: 60 s less the Date's whole-second rounding and a loaded machine's delay.
        Assert.Matches(@"^EdgeFleet; hit; ttl=(5[0-9]|60)$", CacheStatus(second));
        Assert.Equal(1, origin.Count("/a.txt"));
        Assert.Contains("EdgeFleet", second.Headers.Via.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, cache.Store.Count);
    }

    [Theory]
    [InlineData("no-store")]
    [InlineData("private, max-age=60")]
    [InlineData("no-cache=\"x\", no-store")]
    public async Task Get_ResponseNotStorable_EveryRequestGoesToOrigin(string cacheControl)
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/p", 200, "secret", ("Cache-Control", cacheControl));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        await GetAsync(cache.Client, "/p");
        var (second, body) = await GetAsync(cache.Client, "/p");

        Assert.Equal("secret", body);
        Assert.Equal(2, origin.Count("/p"));
        Assert.DoesNotContain("hit", CacheStatus(second), StringComparison.Ordinal);
        Assert.Equal(0, cache.Store.Count);
    }

    [Fact]
    public async Task Get_WithAuthorization_StoredOnlyWhenPublic()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/auth", 200, "mine", ("Cache-Control", "max-age=60"));
        origin.On("/auth-public", 200, "shared", ("Cache-Control", "public, max-age=60"));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        for (var i = 0; i < 2; i++)
        {
            await GetAsync(cache.Client, "/auth", ("Authorization", "Bearer x"));
            await GetAsync(cache.Client, "/auth-public", ("Authorization", "Bearer x"));
        }

        Assert.Equal(2, origin.Count("/auth"));
        Assert.Equal(1, origin.Count("/auth-public"));
    }

    [Fact]
    public async Task Get_StaleWithETag_RevalidatesAndUpdatesStoredHeaders()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        var calls = 0;
        origin.On("/v", async context =>
        {
            calls++;
            context.Response.Headers.ETag = "\"v1\"";
            context.Response.Headers.CacheControl = "max-age=10";
            if (context.Request.Headers.IfNoneMatch == "\"v1\"")
            {
                context.Response.StatusCode = 304;
                context.Response.Headers["X-Version"] = "updated";
                return;
            }

            context.Response.Headers["X-Version"] = "original";
            await context.Response.WriteAsync("body-v1");
        });
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);
        origin.Clock = cache.Clock;

        await GetAsync(cache.Client, "/v");
        cache.Clock.Advance(TimeSpan.FromSeconds(30));
        var (revalidated, body) = await GetAsync(cache.Client, "/v");
        var (hit, hitBody) = await GetAsync(cache.Client, "/v");

        Assert.Equal(2, calls);
        Assert.Equal("body-v1", body);
        Assert.Contains("fwd=stale; fwd-status=304", CacheStatus(revalidated), StringComparison.Ordinal);
        Assert.Equal("updated", revalidated.Headers.GetValues("X-Version").Single());
        Assert.Contains("hit", CacheStatus(hit), StringComparison.Ordinal);
        Assert.Equal("updated", hit.Headers.GetValues("X-Version").Single());
        Assert.Equal("body-v1", hitBody);
        Assert.Equal("\"v1\"", origin.Requests[^1].Headers.IfNoneMatch.ToString());
    }

    [Fact]
    public async Task Get_ClientConditional_AnsweredWith304FromCache()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/c", 200, "content", ("Cache-Control", "max-age=60"), ("ETag", "\"abc\""), ("Last-Modified", "Sat, 01 Jan 2022 00:00:00 GMT"));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        await GetAsync(cache.Client, "/c");
        var (etagMatch, _) = await GetAsync(cache.Client, "/c", ("If-None-Match", "W/\"abc\""));
        var (dateMatch, _) = await GetAsync(cache.Client, "/c", ("If-Modified-Since", "Sun, 02 Jan 2022 00:00:00 GMT"));
        var (noMatch, body) = await GetAsync(cache.Client, "/c", ("If-None-Match", "\"other\""));
        var (failed, _) = await GetAsync(cache.Client, "/c", ("If-Match", "\"other\""));

        Assert.Equal(HttpStatusCode.NotModified, etagMatch.StatusCode);
        Assert.Equal("\"abc\"", etagMatch.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, dateMatch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, noMatch.StatusCode);
        Assert.Equal("content", body);
        Assert.Equal(HttpStatusCode.PreconditionFailed, failed.StatusCode);
        Assert.Equal(1, origin.Count("/c"));
    }

    [Fact]
    public async Task Get_Ranges_ServedFromCachedFullResponse()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/r", 200, "0123456789", ("Cache-Control", "max-age=60"), ("ETag", "\"r1\""), ("Content-Type", "text/plain"));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        var (miss, missBody) = await GetAsync(cache.Client, "/r", ("Range", "bytes=2-4"));
        var (suffix, suffixBody) = await GetAsync(cache.Client, "/r", ("Range", "bytes=-3"));
        var (multi, multiBody) = await GetAsync(cache.Client, "/r", ("Range", "bytes=0-1,5-6"));
        var (unsatisfiable, _) = await GetAsync(cache.Client, "/r", ("Range", "bytes=50-60"));
        var (ifRangeMismatch, fullBody) = await GetAsync(cache.Client, "/r", ("Range", "bytes=0-1"), ("If-Range", "\"old\""));
        var (invalid, invalidBody) = await GetAsync(cache.Client, "/r", ("Range", "bytes=5-2"));

        Assert.Equal(HttpStatusCode.PartialContent, miss.StatusCode);
        Assert.Equal("234", missBody);
        Assert.Equal("bytes 2-4/10", miss.Content.Headers.ContentRange!.ToString());
        Assert.Equal("789", suffixBody);
        Assert.Equal(HttpStatusCode.PartialContent, suffix.StatusCode);
        Assert.Equal("multipart/byteranges", multi.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Content-Range: bytes 0-1/10\r\n\r\n01", multiBody, StringComparison.Ordinal);
        Assert.Contains("Content-Range: bytes 5-6/10\r\n\r\n56", multiBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
        Assert.Equal("bytes */10", unsatisfiable.Content.Headers.ContentRange!.ToString());
        Assert.Equal(HttpStatusCode.OK, ifRangeMismatch.StatusCode);
        Assert.Equal("0123456789", fullBody);
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        Assert.Equal("0123456789", invalidBody);
        Assert.Equal(1, origin.Count("/r"));
        Assert.False(origin.Requests.Single().Headers.ContainsKey("Range"));
    }

    [Fact]
    public async Task Head_AfterGet_AnsweredFromStoredGet()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/h", 200, "twelve bytes", ("Cache-Control", "max-age=60"));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        await GetAsync(cache.Client, "/h");
        using var head = await cache.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/h"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(12, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Contains("hit", CacheStatus(head), StringComparison.Ordinal);
        Assert.Equal(1, origin.Count("/h"));
    }

    [Fact]
    public async Task Get_Vary_StoresOneVariantPerNominatedValue()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/lang", async context =>
        {
            context.Response.Headers.CacheControl = "max-age=60";
            context.Response.Headers.Vary = "Accept-Language";
            await context.Response.WriteAsync("lang=" + context.Request.Headers.AcceptLanguage);
        });
        origin.On("/star", 200, "star", ("Cache-Control", "max-age=60"), ("Vary", "*"));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        var (_, en1) = await GetAsync(cache.Client, "/lang", ("Accept-Language", "en"));
        var (frMiss, fr1) = await GetAsync(cache.Client, "/lang", ("Accept-Language", "fr"));
        var (_, en2) = await GetAsync(cache.Client, "/lang", ("Accept-Language", "en"));
        var (frHit, fr2) = await GetAsync(cache.Client, "/lang", ("Accept-Language", "fr"));
        await GetAsync(cache.Client, "/star");
        await GetAsync(cache.Client, "/star");

        Assert.Equal("lang=en", en1);
        Assert.Equal("lang=en", en2);
        Assert.Equal("lang=fr", fr1);
        Assert.Equal("lang=fr", fr2);
        Assert.Contains("fwd=vary-miss", CacheStatus(frMiss), StringComparison.Ordinal);
        Assert.Contains("hit", CacheStatus(frHit), StringComparison.Ordinal);
        Assert.Equal(2, origin.Count("/lang"));
        Assert.Equal(2, origin.Count("/star"));
    }

    [Fact]
    public async Task Get_CdnCacheControl_TakesPrecedenceForThisCache()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/cdn", 200, "cdn", ("Cache-Control", "no-store"), ("CDN-Cache-Control", "max-age=60"));
        origin.On("/cdn-nostore", 200, "x", ("Cache-Control", "max-age=60"), ("CDN-Cache-Control", "no-store"));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        await GetAsync(cache.Client, "/cdn");
        var (hit, _) = await GetAsync(cache.Client, "/cdn");
        await GetAsync(cache.Client, "/cdn-nostore");
        await GetAsync(cache.Client, "/cdn-nostore");

        Assert.Contains("hit", CacheStatus(hit), StringComparison.Ordinal);
        Assert.Equal("no-store", hit.Headers.CacheControl!.ToString());
        Assert.Equal(1, origin.Count("/cdn"));
        Assert.Equal(2, origin.Count("/cdn-nostore"));
    }

    [Fact]
    public async Task Get_StaleWhileRevalidate_ServesStaleAndRefreshesInBackground()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        var version = 0;
        origin.On("/swr", async context =>
        {
            var v = Interlocked.Increment(ref version);
            context.Response.Headers.CacheControl = "max-age=10, stale-while-revalidate=60";
            await context.Response.WriteAsync("v" + v);
        });
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);
        origin.Clock = cache.Clock;

        await GetAsync(cache.Client, "/swr");
        cache.Clock.Advance(TimeSpan.FromSeconds(20));
        var (stale, staleBody) = await GetAsync(cache.Client, "/swr");
        await WaitUntilAsync(() => origin.Count("/swr") == 2);
        await WaitUntilAsync(async () => (await GetAsync(cache.Client, "/swr")).Body == "v2");

        Assert.Equal("v1", staleBody);
        Assert.Contains("detail=stale-while-revalidate", CacheStatus(stale), StringComparison.Ordinal);
        Assert.Matches("; ttl=-1[0-3];", CacheStatus(stale));
        Assert.Equal(2, origin.Count("/swr"));
    }

    [Fact]
    public async Task Get_StaleIfError_ServesStaleWhenOriginFails()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        var fail = false;
        origin.On("/sie", FailingWhen(() => fail, 503, "max-age=10, stale-if-error=300"));
        origin.On("/no-sie", FailingWhen(() => fail, 503, "max-age=10"));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        await GetAsync(cache.Client, "/sie");
        await GetAsync(cache.Client, "/no-sie");
        fail = true;
        cache.Clock.Advance(TimeSpan.FromSeconds(30));
        var (stale, body) = await GetAsync(cache.Client, "/sie");
        var (error, _) = await GetAsync(cache.Client, "/no-sie");
        cache.Clock.Advance(TimeSpan.FromSeconds(600));
        var (tooOld, _) = await GetAsync(cache.Client, "/sie");

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal("good", body);
        Assert.Contains("fwd=stale; fwd-status=503", CacheStatus(stale), StringComparison.Ordinal);
        Assert.Contains("detail=stale-if-error", CacheStatus(stale), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, tooOld.StatusCode);
    }

    [Fact]
    public async Task Get_OriginUnreachable_ServesStaleIfErrorOtherwise502()
    {
        var origin = await ScriptedOrigin.StartAsync();
        origin.On("/down", 200, "kept", ("Cache-Control", "max-age=1, stale-if-error=600"));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url, "--EdgeFleet:OriginRetries=1");
        await GetAsync(cache.Client, "/down");
        await origin.DisposeAsync();
        cache.Clock.Advance(TimeSpan.FromSeconds(10));

        var (stale, body) = await GetAsync(cache.Client, "/down");
        var (missing, _) = await GetAsync(cache.Client, "/never-seen");

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal("kept", body);
        Assert.Contains("detail=stale-if-error", CacheStatus(stale), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadGateway, missing.StatusCode);
        Assert.Contains("detail=origin-unreachable", CacheStatus(missing), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ConcurrentMisses_CollapseIntoOneOriginRequest()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        var release = new TaskCompletionSource();
        origin.On("/slow", async context =>
        {
            await release.Task;
            context.Response.Headers.CacheControl = "max-age=60";
            await context.Response.WriteAsync("slow body");
        });
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        var requests = Enumerable.Range(0, 20).Select(_ => GetAsync(cache.Client, "/slow")).ToList();
        await WaitUntilAsync(() => origin.Count("/slow") >= 1);
        await Task.Delay(200);
        release.SetResult();
        var results = await Task.WhenAll(requests);

        Assert.Equal(1, origin.Count("/slow"));
        Assert.All(results, r => Assert.Equal("slow body", r.Body));
        Assert.Equal(19, results.Count(r => CacheStatus(r.Response).Contains("collapsed", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Get_ConcurrentMissesForUncacheable_WaitersGoToOriginThemselves()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        var release = new TaskCompletionSource();
        var calls = 0;
        origin.On("/nostore", async context =>
        {
            var n = Interlocked.Increment(ref calls);
            if (n == 1)
            {
                await release.Task;
            }

            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsync("fresh " + n);
        });
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        var requests = Enumerable.Range(0, 5).Select(_ => GetAsync(cache.Client, "/nostore")).ToList();
        await WaitUntilAsync(() => origin.Count("/nostore") >= 1);
        await Task.Delay(200);
        Assert.Equal(1, origin.Count("/nostore"));
        release.SetResult();
        var results = await Task.WhenAll(requests);

        Assert.Equal(5, origin.Count("/nostore"));
        Assert.Equal(5, results.Select(r => r.Body).Distinct().Count());
    }

    [Fact]
    public async Task Get_DownstreamPolicy_SendsLongFreshnessForImagesOnly()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/i.png", 200, "png", ("Cache-Control", "max-age=300"), ("Content-Type", "image/png"));
        origin.On("/t.html", 200, "html", ("Cache-Control", "max-age=300"), ("Content-Type", "text/html; charset=utf-8"));
        origin.On("/p.png", 200, "private", ("Cache-Control", "private"), ("Content-Type", "image/png"));
        await using var cache = await CacheUnderTest.StartAsync(
            origin.Url,
            "--EdgeFleet:Downstream:0:ContentTypes:0=image/*",
            "--EdgeFleet:Downstream:0:CacheControl=public, max-age=2419200");

        var (image, _) = await GetAsync(cache.Client, "/i.png");
        var (imageHit, _) = await GetAsync(cache.Client, "/i.png");
        var (html, _) = await GetAsync(cache.Client, "/t.html");
        var (privateImage, _) = await GetAsync(cache.Client, "/p.png");

        Assert.Equal("public, max-age=2419200", image.Headers.CacheControl!.ToString());
        Assert.Equal("public, max-age=2419200", imageHit.Headers.CacheControl!.ToString());
        Assert.NotNull(imageHit.Content.Headers.Expires);
        Assert.True(imageHit.Content.Headers.Expires > DateTimeOffset.UtcNow.AddDays(27));
        Assert.Equal("max-age=300", html.Headers.CacheControl!.ToString());
        Assert.Equal("private", privateImage.Headers.CacheControl!.ToString());
        Assert.Equal(1, origin.Count("/i.png"));
    }

    [Fact]
    public async Task Purge_ByTagPrefixAndUrl_RemovesObjectsAndHidesSurrogateKey()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/img/1.jpg", 200, "1", ("Cache-Control", "max-age=600"), ("Surrogate-Key", "product-1 images"));
        origin.On("/img/2.jpg", 200, "2", ("Cache-Control", "max-age=600"), ("Surrogate-Key", "product-2 images"));
        origin.On("/css/a.css", 200, "a", ("Cache-Control", "max-age=600"));
        origin.On("/js/a.js", 200, "j", ("Cache-Control", "max-age=600"));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url, "--admin-token", "s3cret");
        foreach (var path in new[] { "/img/1.jpg", "/img/2.jpg", "/css/a.css", "/js/a.js" })
        {
            var (response, _) = await GetAsync(cache.Client, path);
            Assert.False(response.Headers.Contains("Surrogate-Key"));
        }

        var byTag = await PurgeAsync(cache, "s3cret", """{"tags":["product-1"]}""");
        var byPrefix = await PurgeAsync(cache, "s3cret", """{"prefixes":["/css/"]}""");
        var byUrl = await PurgeAsync(cache, "s3cret", """{"urls":["http://cdn.example.com/js/a.js"]}""");
        foreach (var path in new[] { "/img/1.jpg", "/img/2.jpg", "/css/a.css", "/js/a.js" })
        {
            await GetAsync(cache.Client, path);
        }

        Assert.Equal(HttpStatusCode.OK, byTag.StatusCode);
        Assert.Contains("\"purged\":1", await byTag.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, byPrefix.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byUrl.StatusCode);
        Assert.Equal(2, origin.Count("/img/1.jpg"));
        Assert.Equal(1, origin.Count("/img/2.jpg"));
        Assert.Equal(2, origin.Count("/css/a.css"));
        Assert.Equal(2, origin.Count("/js/a.js"));
    }

    [Fact]
    public async Task Purge_Soft_RevalidatesButStillServesUnderStaleIfError()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        var fail = false;
        origin.On("/soft", async context =>
        {
            if (fail)
            {
                context.Response.StatusCode = 500;
                return;
            }

            context.Response.Headers.CacheControl = "max-age=600, stale-if-error=600";
            context.Response.Headers.ETag = "\"s\"";
            if (context.Request.Headers.IfNoneMatch == "\"s\"")
            {
                context.Response.StatusCode = 304;
                return;
            }

            await context.Response.WriteAsync("soft body");
        });
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);
        await GetAsync(cache.Client, "/soft");

        await PurgeAsync(cache, null, """{"urls":["/soft"],"soft":true}""");
        var (revalidated, _) = await GetAsync(cache.Client, "/soft");
        await PurgeAsync(cache, null, """{"urls":["/soft"],"soft":true}""");
        fail = true;
        var (stale, body) = await GetAsync(cache.Client, "/soft");

        Assert.Contains("fwd-status=304", CacheStatus(revalidated), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal("soft body", body);
        Assert.Contains("stale-if-error", CacheStatus(stale), StringComparison.Ordinal);
        Assert.Equal(3, origin.Count("/soft"));
    }

    [Theory]
    [InlineData("wrong", """{"urls":["/x"]}""", 401)]
    [InlineData("s3cret", """{"urls":[""", 400)]
    [InlineData("s3cret", """{}""", 400)]
    [InlineData("s3cret", """{"urls":["not a path"]}""", 400)]
    [InlineData("s3cret", """{"tags":["two words"]}""", 400)]
    [InlineData("s3cret", """{"url":["/x"]}""", 400)]
    public async Task Purge_BadRequest_IsRefusedWithReason(string token, string body, int expected)
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        await using var cache = await CacheUnderTest.StartAsync(origin.Url, "--admin-token", "s3cret");

        var response = await PurgeAsync(cache, token, body);

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Contains("error", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminPaths_OnPublicPort_AreForwardedNotServed()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        await using var cache = await CacheUnderTest.StartAsync(origin.Url, "--admin-token", "s3cret");

        using var purge = await cache.Client.PostAsync("/admin/purge", new StringContent("""{"prefixes":["/"]}"""));
        var (ready, _) = await GetAsync(cache.Client, "/readyz");

        Assert.Equal(HttpStatusCode.NotFound, purge.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, ready.StatusCode);
        Assert.Equal(1, origin.Count("/admin/purge"));
    }

    [Fact]
    public async Task Post_SuccessfulResponse_InvalidatesStoredGet()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/doc", async context =>
        {
            if (HttpMethods.IsPost(context.Request.Method))
            {
                using var reader = new StreamReader(context.Request.Body);
                await context.Response.WriteAsync("posted " + await reader.ReadToEndAsync());
                return;
            }

            context.Response.Headers.CacheControl = "max-age=600";
            await context.Response.WriteAsync("doc");
        });
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        await GetAsync(cache.Client, "/doc");
        using var post = await cache.Client.PostAsync("/doc", new StringContent("payload"));
        var (after, _) = await GetAsync(cache.Client, "/doc");

        Assert.Equal("posted payload", await post.Content.ReadAsStringAsync());
        Assert.Contains("fwd=uri-miss", CacheStatus(after), StringComparison.Ordinal);
        Assert.Equal(3, origin.Count("/doc"));
    }

    [Fact]
    public async Task Get_OnlyIfCachedMiss_Returns504()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        var (response, _) = await GetAsync(cache.Client, "/nothing", ("Cache-Control", "only-if-cached"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(0, origin.Count("/nothing"));
    }

    [Fact]
    public async Task Get_RequestNoCache_RevalidatesFreshEntry()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/nc", 200, "x", ("Cache-Control", "max-age=600"));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        await GetAsync(cache.Client, "/nc");
        var (forced, _) = await GetAsync(cache.Client, "/nc", ("Cache-Control", "no-cache"));
        var (pragma, _) = await GetAsync(cache.Client, "/nc", ("Pragma", "no-cache"));

        Assert.Contains("fwd=request", CacheStatus(forced), StringComparison.Ordinal);
        Assert.Contains("fwd=request", CacheStatus(pragma), StringComparison.Ordinal);
        Assert.Equal(3, origin.Count("/nc"));
    }

    [Fact]
    public async Task Get_HopByHopFieldsFromOrigin_AreNotForwarded()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/hop", 200, "x", ("Cache-Control", "max-age=60"), ("Connection", "X-Private"), ("X-Private", "leak"), ("Keep-Alive", "timeout=5"), ("X-Kept", "yes"));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        var (miss, _) = await GetAsync(cache.Client, "/hop", ("Connection", "X-Client-Secret"), ("X-Client-Secret", "nope"));
        var (hit, _) = await GetAsync(cache.Client, "/hop");

        foreach (var response in new[] { miss, hit })
        {
            Assert.False(response.Headers.Contains("X-Private"));
            Assert.False(response.Headers.Contains("Keep-Alive"));
            Assert.Equal("yes", response.Headers.GetValues("X-Kept").Single());
        }

        Assert.False(origin.Requests.Single().Headers.ContainsKey("X-Client-Secret"));
        Assert.Contains("EdgeFleet", origin.Requests.Single().Headers.Via.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnkeyedForwardingHeaders_CannotPoisonStoredResponse()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/home", async context =>
        {
            context.Response.Headers.CacheControl = "max-age=600";
            var host = context.Request.Headers["X-Forwarded-Host"].ToString();
            await context.Response.WriteAsync($"<script src=\"//{(host.Length > 0 ? host : "cdn.example.com")}/app.js\">");
        });
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        var (attack, attackBody) = await GetAsync(cache.Client, "/home", ("X-Forwarded-Host", "evil.example"), ("X-Original-URL", "/admin"), ("Forwarded", "host=evil.example"));
        var (victim, victimBody) = await GetAsync(cache.Client, "/home");

        Assert.DoesNotContain("evil", attackBody, StringComparison.Ordinal);
        Assert.DoesNotContain("evil", victimBody, StringComparison.Ordinal);
        Assert.Contains("hit", CacheStatus(victim), StringComparison.Ordinal);
        var seen = origin.Requests.Single().Headers;
        Assert.False(seen.ContainsKey("X-Forwarded-Host"));
        Assert.False(seen.ContainsKey("X-Original-URL"));
        Assert.False(seen.ContainsKey("Forwarded"));
        Assert.Equal(HttpStatusCode.OK, attack.StatusCode);
    }

    [Fact]
    public async Task Get_MemoryBudget_IsNeverExceededAndEvictionsAreCounted()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        var payload = new string('x', 100 * 1024);
        for (var i = 0; i < 40; i++)
        {
            origin.On($"/big/{i}", 200, payload, ("Cache-Control", "max-age=600"));
        }

        await using var cache = await CacheUnderTest.StartAsync(origin.Url, "--memory-size", "1MiB", "--max-object-size", "200KiB");
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 40; i++)
            {
                var (_, body) = await GetAsync(cache.Client, $"/big/{i}");
                Assert.Equal(payload.Length, body.Length);
                Assert.True(cache.Store.Bytes <= cache.Store.Capacity, $"{cache.Store.Bytes} > {cache.Store.Capacity}");
            }
        }

        Assert.True(cache.Store.Evictions > 0);
        Assert.InRange(cache.Store.Count, 1, 10);
    }

    [Fact]
    public async Task Get_LargeUncacheableBody_IsStreamedThroughIntact()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        var data = new byte[5 * 1024 * 1024];
        new Random(7).NextBytes(data);
        origin.On("/video.mp4", async context =>
        {
            context.Response.Headers.CacheControl = "max-age=600";
            context.Response.ContentType = "video/mp4";
            for (var offset = 0; offset < data.Length; offset += 100_000)
            {
                await context.Response.Body.WriteAsync(data.AsMemory(offset, Math.Min(100_000, data.Length - offset)));
            }
        });
        await using var cache = await CacheUnderTest.StartAsync(origin.Url, "--memory-size", "8MiB", "--max-object-size", "1MiB");

        using var response = await cache.Client.GetAsync("/video.mp4");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(data, body);
        Assert.Equal(0, cache.Store.Count);
    }

    /// <summary>An origin handler that answers "good" with the given Cache-Control, or the error status once <paramref name="failing"/> says so.</summary>
    private static Func<HttpContext, Task> FailingWhen(Func<bool> failing, int status, string cacheControl) => async context =>
    {
        if (failing())
        {
            context.Response.StatusCode = status;
            return;
        }

        context.Response.Headers.CacheControl = cacheControl;
        await context.Response.WriteAsync("good");
    };

    private static async Task<HttpResponseMessage> PurgeAsync(CacheUnderTest cache, string? token, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/purge") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await cache.Admin.SendAsync(request);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition) => await WaitUntilAsync(() => Task.FromResult(condition()));

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met within 10 s");
            }

            await Task.Delay(20);
        }
    }
}
