using System.Net;

namespace EdgeFleet.Cache.FunctionalTests;

/// <summary>Hostile and broken input on both sides: the right status, nothing stored, others unaffected.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task Request_ContentLengthWithTransferEncoding_Refused400AndClosed()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/x", 200, "x", ("Cache-Control", "max-age=60"));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        var answer = await RawHttp.SendAsync(cache.PublicUrl, "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n");
        using var healthy = await cache.Client.GetAsync("/x");

        // RFC 9112 §6.3: refused outright, or Transfer-Encoding wins and the connection is closed,
        // so the smuggled request is never read as a request of its own.
        Assert.True(answer.StartsWith("HTTP/1.1 400", StringComparison.Ordinal) || answer.Contains("Connection: close", StringComparison.Ordinal), "answer: " + answer);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(answer, "HTTP/1.1 \\d{3}"));
        Assert.Equal(0, origin.Count("/smuggled"));
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n", "400")]
    [InlineData("GET /x HTTP/9.9\r\nHost: a\r\n\r\n", "505")]
    [InlineData("GET /x HTTP/1.1\r\nHost: a\r\nBad Header: y\r\n\r\n", "400")]
    [InlineData("GET x HTTP/1.1\r\nHost: a\r\n\r\n", "4")]
    public async Task Request_Malformed_Gets4xxOr5xxAndOthersAreServed(string raw, string status)
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/x", 200, "x", ("Cache-Control", "max-age=60"));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        var answer = await RawHttp.SendAsync(cache.PublicUrl, raw);
        using var healthy = await cache.Client.GetAsync("/x");

        Assert.True(answer.StartsWith("HTTP/1.1 " + status, StringComparison.Ordinal), "answer: " + answer);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }

    [Fact]
    public async Task Request_OversizedHeadersAndUri_Get431And414()
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        var headers = await RawHttp.SendAsync(cache.PublicUrl, $"GET /x HTTP/1.1\r\nHost: a\r\nX-Big: {new string('a', 40_000)}\r\n\r\n");
        var uri = await RawHttp.SendAsync(cache.PublicUrl, $"GET /{new string('a', 10_000)} HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.True(headers.StartsWith("HTTP/1.1 431", StringComparison.Ordinal), "answer: " + headers);
        Assert.True(uri.StartsWith("HTTP/1.1 414", StringComparison.Ordinal), "answer: " + uri);
        Assert.Empty(origin.Requests);
    }

    [Theory]
    [InlineData("Cache-Control", "max-age=abc, ,,=, no-cache=\"unterminated")]
    [InlineData("Cache-Control", "max-stale=-5, min-fresh=99999999999999999999999")]
    [InlineData("Range", "bytes=abc")]
    [InlineData("Range", "bytes=1-2-3")]
    [InlineData("Range", "pages=1-2")]
    [InlineData("If-None-Match", "\"unterminated")]
    [InlineData("If-Modified-Since", "yesterday")]
    [InlineData("Pragma", "no-cache, ,")]
    public async Task Request_InvalidCachingFields_AnsweredSafely(string name, string value)
    {
        await using var origin = await ScriptedOrigin.StartAsync();
        origin.On("/x", 200, "0123456789", ("Cache-Control", "max-age=60"), ("ETag", "\"e\""));
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);
        await cache.Client.GetAsync("/x");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/x");
        request.Headers.TryAddWithoutValidation(name, value);
        using var response = await cache.Client.SendAsync(request);

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.GatewayTimeout, $"{response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Equal("0123456789", await response.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nhello")]
    [InlineData("HTTP/1.1 2000 OK\r\nContent-Length: 5\r\n\r\nhello")]
    [InlineData("NOT HTTP AT ALL\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Header Name: x\r\nContent-Length: 5\r\n\r\nhello")]
    [InlineData("")]
    public async Task Origin_BrokenResponse_Gets502AndIsNotStored(string raw)
    {
        await using var origin = new RawOrigin(raw);
        await using var cache = await CacheUnderTest.StartAsync(origin.Url, "--EdgeFleet:OriginRetries=0");

        using var first = await cache.Client.GetAsync("/broken");
        using var second = await cache.Client.GetAsync("/broken");

        Assert.Equal(HttpStatusCode.BadGateway, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, second.StatusCode);
        Assert.Equal(0, cache.Store.Count);
    }

    [Fact]
    public async Task Origin_TruncatedBody_IsNeverStoredAndClientIsCutOff()
    {
        await using var origin = new RawOrigin("HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nContent-Length: 1000\r\n\r\nonly a few bytes");
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        await Assert.ThrowsAnyAsync<HttpRequestException>(async () =>
        {
            using var response = await cache.Client.GetAsync("/torn");
            await response.Content.ReadAsByteArrayAsync();
        });
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => cache.Client.GetByteArrayAsync("/torn"));

        Assert.Equal(0, cache.Store.Count);
        Assert.Equal(2, origin.Connections);
    }

    [Fact]
    public async Task Origin_FieldWithControlCharacters_IsDropped()
    {
        await using var origin = new RawOrigin("HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nX-Odd: caf\u00e9\r\nContent-Length: 2\r\n\r\nok");
        await using var cache = await CacheUnderTest.StartAsync(origin.Url);

        using var response = await cache.Client.GetAsync("/odd");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }
}
