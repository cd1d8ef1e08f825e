namespace EdgeFleet.Http.Tests;

public class HeaderUpdateRuleTests
{
    private static readonly string LastModified = Heads.Date(Heads.T0.AddDays(-1));

    [Theory]
    [InlineData("\"v1\"", "\"v1\"", true)]
    [InlineData("\"v1\"", "\"v2\"", false)]
    [InlineData("W/\"v1\"", "W/\"v1\"", true)]
    [InlineData("\"v1\"", "W/\"v1\"", true)]
    [InlineData("W/\"v1\"", "\"v1\"", false)]
    public void Selects_ByEntityTag(string storedTag, string notModifiedTag, bool expected)
    {
        // RFC 9111 §4.3.4: a strong validator selects responses with the same strong validator;
        // a weak one selects a stored response whose validator corresponds to it.
        var stored = Heads.Make(200, (HeaderNames.ETag, storedTag));
        var notModified = Heads.Make(304, (HeaderNames.ETag, notModifiedTag));

        Assert.Equal(expected, HeaderUpdateRule.Selects(stored, notModified));
    }

    [Fact]
    public void Selects_ETagInUpdateButNoneStored_False()
    {
        Assert.False(HeaderUpdateRule.Selects(Heads.Make(200), Heads.Make(304, (HeaderNames.ETag, "\"v1\""))));
    }

    [Fact]
    public void Selects_SameLastModified_True()
    {
        var stored = Heads.Make(200, (HeaderNames.LastModified, LastModified));

        Assert.True(HeaderUpdateRule.Selects(stored, Heads.Make(304, (HeaderNames.LastModified, LastModified))));
    }

    [Fact]
    public void Selects_DifferentLastModified_False()
    {
        var stored = Heads.Make(200, (HeaderNames.LastModified, LastModified));

        Assert.False(HeaderUpdateRule.Selects(stored, Heads.Make(304, (HeaderNames.LastModified, Heads.Date(Heads.T0)))));
    }

    [Fact]
    public void Selects_LastModifiedInUpdateButNoneStored_False()
    {
        // RFC 9111 §4.3.4: the stored response must carry the same validator.
        Assert.False(HeaderUpdateRule.Selects(Heads.Make(200), Heads.Make(304, (HeaderNames.LastModified, LastModified))));
    }

    [Fact]
    public void Selects_NoValidatorsAnywhere_True()
    {
        Assert.True(HeaderUpdateRule.Selects(Heads.Make(200), Heads.Make(304)));
    }

    [Theory]
    [InlineData(HeaderNames.ETag, "\"v1\"")]
    [InlineData(HeaderNames.LastModified, "Wed, 31 Dec 2025 12:00:00 GMT")]
    public void Selects_NoValidatorInUpdateButStoredHasOne_True(string name, string value)
    {
        // The 304 answers the cache's conditional request for this stored response.
        Assert.True(HeaderUpdateRule.Selects(Heads.Make(200, (name, value)), Heads.Make(304)));
    }

    [Fact]
    public void Apply_304Fields_ReplaceStoredOnes()
    {
        var stored = Heads.Make(200, Heads.T0, Heads.T0,
            (HeaderNames.CacheControl, "max-age=10"), (HeaderNames.ETag, "\"v1\""), ("X-Custom", "old"), (HeaderNames.ContentType, "text/plain"));
        var later = Heads.T0.AddHours(1);
        var update = Heads.Make(304, later.AddSeconds(-1), later, (HeaderNames.CacheControl, "max-age=600"), ("X-Custom", "new"), ("X-Added", "1"));

        var head = HeaderUpdateRule.Apply(stored, update);

        Assert.Equal(200, head.StatusCode);
        Assert.Equal(600, head.CacheControl.MaxAge);
        Assert.Equal(["new"], head.Headers["X-Custom"]);
        Assert.Equal(["1"], head.Headers["X-Added"]);
        Assert.Equal(["text/plain"], head.Headers[HeaderNames.ContentType]);
        Assert.Equal(later, head.ResponseTime);
        Assert.Equal(later.AddSeconds(-1), head.RequestTime);
    }

    [Fact]
    public void Apply_FramingFields_KeptFromStored()
    {
        // RFC 9111 §3.2: Content-Length (and framing fields) of the 304 are not the content's.
        var stored = Heads.Make(200, (HeaderNames.ContentLength, "1234"));
        var update = Heads.Make(304, (HeaderNames.ContentLength, "0"), (HeaderNames.TransferEncoding, "chunked"), (HeaderNames.ContentRange, "bytes 0-1/2"));

        var head = HeaderUpdateRule.Apply(stored, update);

        Assert.Equal(["1234"], head.Headers[HeaderNames.ContentLength]);
        Assert.False(head.Headers.Contains(HeaderNames.TransferEncoding));
        Assert.False(head.Headers.Contains(HeaderNames.ContentRange));
    }

    [Fact]
    public void Apply_HopByHopAndConnectionListed_NotCopied()
    {
        // RFC 9111 §3.1 and RFC 9110 §7.6.1.
        var update = Heads.Make(304, (HeaderNames.Connection, "close, X-Hop"), ("X-Hop", "1"), ("Keep-Alive", "timeout=5"), ("X-Kept", "1"));

        var head = HeaderUpdateRule.Apply(Heads.Make(200), update);

        Assert.False(head.Headers.Contains("Connection"));
        Assert.False(head.Headers.Contains("X-Hop"));
        Assert.False(head.Headers.Contains("Keep-Alive"));
        Assert.True(head.Headers.Contains("X-Kept"));
    }

    [Fact]
    public void Apply_StoredAgeWithoutAgeInUpdate_Dropped()
    {
        var head = HeaderUpdateRule.Apply(Heads.Make(200, (HeaderNames.Age, "500")), Heads.Make(304));

        Assert.False(head.Headers.Contains(HeaderNames.Age));
        Assert.Null(head.Age);
    }

    [Fact]
    public void Apply_AgeInUpdate_Taken()
    {
        var head = HeaderUpdateRule.Apply(Heads.Make(200, (HeaderNames.Age, "500")), Heads.Make(304, (HeaderNames.Age, "3")));

        Assert.Equal(3, head.Age);
    }

    [Fact]
    public void Apply_StaleStoredResponse_FreshAgainFromTheUpdate()
    {
        // RFC 9111 §4.3.4: the updated response's age restarts at the validation.
        var stored = Heads.Make(200, (HeaderNames.Date, Heads.Date(Heads.T0)), (HeaderNames.CacheControl, "max-age=60"), (HeaderNames.ETag, "\"v1\""));
        var later = Heads.T0.AddMinutes(10);
        var update = Heads.Make(304, later, later, (HeaderNames.Date, Heads.Date(later)), (HeaderNames.ETag, "\"v1\""));
        var request = RequestDirectives.Parse([], []);

        Assert.Equal(ReuseDecision.Revalidate, ReuseRule.Evaluate(stored, request, later, CachePolicyOptions.Default).Decision);
        Assert.True(HeaderUpdateRule.Selects(stored, update));
        var evaluation = ReuseRule.Evaluate(HeaderUpdateRule.Apply(stored, update), request, later.AddSeconds(5), CachePolicyOptions.Default);
        Assert.Equal(ReuseDecision.Fresh, evaluation.Decision);
        Assert.Equal(TimeSpan.FromSeconds(5), evaluation.Age);
    }

    [Fact]
    public void Apply_StoredHead_Unchanged()
    {
        var stored = Heads.Make(200, (HeaderNames.CacheControl, "max-age=10"));

        HeaderUpdateRule.Apply(stored, Heads.Make(304, (HeaderNames.CacheControl, "max-age=20")));

        Assert.Equal(10, stored.CacheControl.MaxAge);
    }
}
