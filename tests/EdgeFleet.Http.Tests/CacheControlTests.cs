namespace EdgeFleet.Http.Tests;

public class CacheControlTests
{
    [Theory]
    [InlineData("max-age=60")]
    [InlineData("MAX-AGE=60")]
    [InlineData("Max-Age=60")]
    [InlineData("  max-age=60  ")]
    [InlineData("max-age=\"60\"")]
    [InlineData("public,max-age=60")]
    [InlineData("public ,\tmax-age=60 , no-transform")]
    public void Parse_MaxAgeSpellings_ReadsSixty(string value)
    {
        var cc = CacheControl.Parse(value);

        Assert.Equal(60, cc.MaxAge);
        Assert.False(cc.HasInvalidFreshness);
        Assert.True(cc.IsPresent);
    }

    [Fact]
    public void Parse_AllBooleanDirectives_AreRecognised()
    {
        var cc = CacheControl.Parse("no-store, NO-CACHE, Private, public, must-revalidate, proxy-revalidate, must-understand, no-transform, only-if-cached, immutable");

        Assert.True(cc.NoStore);
        Assert.True(cc.NoCache);
        Assert.True(cc.Private);
        Assert.True(cc.Public);
        Assert.True(cc.MustRevalidate);
        Assert.True(cc.ProxyRevalidate);
        Assert.True(cc.MustUnderstand);
        Assert.True(cc.NoTransform);
        Assert.True(cc.OnlyIfCached);
        Assert.True(cc.Immutable);
    }

    [Fact]
    public void Parse_AllNumericDirectives_AreRecognised()
    {
        var cc = CacheControl.Parse("max-age=1, s-maxage=2, min-fresh=3, max-stale=4, stale-while-revalidate=5, stale-if-error=6");

        Assert.Equal(1, cc.MaxAge);
        Assert.Equal(2, cc.SharedMaxAge);
        Assert.Equal(3, cc.MinFresh);
        Assert.Equal(4, cc.MaxStale);
        Assert.Equal(5, cc.StaleWhileRevalidate);
        Assert.Equal(6, cc.StaleIfError);
    }

    [Theory]
    [InlineData("no-cache=\"Set-Cookie, X-Foo\", max-age=30")]
    [InlineData("private=\"Set-Cookie,Authorization\" , max-age=30")]
    public void Parse_QuotedFieldNamesWithCommas_DoNotSplitTheList(string value)
    {
        // §5.2.2.4/§5.2.2.7: the field-name list is a quoted-string; its commas are not separators.
        var cc = CacheControl.Parse(value);

        Assert.Equal(30, cc.MaxAge);
        Assert.False(cc.HasInvalidFreshness);
    }

    [Fact]
    public void Parse_QuotedNoCache_SetsNoCache()
    {
        Assert.True(CacheControl.Parse("no-cache=\"Set-Cookie\"").NoCache);
        Assert.True(CacheControl.Parse("private=\"Set-Cookie\"").Private);
    }

    [Theory]
    [InlineData("max-age=60, max-age=10", 60)]
    [InlineData("max-age=60,max-age=abc", 60)]
    [InlineData("max-age=0, max-age=3600", 0)]
    public void Parse_DuplicateMaxAge_FirstOccurrenceWins(string value, long expected)
    {
        // RFC 9111 §4.2.1: with more than one value for a directive, use the first.
        Assert.Equal(expected, CacheControl.Parse(value).MaxAge);
    }

    [Fact]
    public void Parse_DuplicatesAcrossFieldLines_FirstLineWins()
    {
        var cc = CacheControl.Parse(["max-age=5", "max-age=500, s-maxage=7"]);

        Assert.Equal(5, cc.MaxAge);
        Assert.Equal(7, cc.SharedMaxAge);
    }

    [Theory]
    [InlineData("max-age=abc")]
    [InlineData("max-age=-1")]
    [InlineData("max-age=+5")]
    [InlineData("max-age=1.5")]
    [InlineData("max-age=")]
    [InlineData("max-age")]
    [InlineData("s-maxage=1e3")]
    [InlineData("max-age=60s")]
    [InlineData("max-age=\"\"")]
    public void Parse_InvalidDeltaSeconds_HasInvalidFreshness(string value)
    {
        var cc = CacheControl.Parse(value);

        Assert.True(cc.HasInvalidFreshness);
        Assert.Null(cc.MaxAge);
    }

    [Theory]
    [InlineData("stale-while-revalidate=abc")]
    [InlineData("stale-if-error=-1")]
    [InlineData("min-fresh=x")]
    [InlineData("max-stale=1.5")]
    public void Parse_InvalidNonLifetimeDirective_IgnoredWithoutInvalidFreshness(string value)
    {
        // RFC 9111 §4.2.1: only max-age and s-maxage (and Expires) give the freshness lifetime.
        var cc = CacheControl.Parse(value);

        Assert.False(cc.HasInvalidFreshness);
        Assert.Null(cc.StaleWhileRevalidate);
        Assert.Null(cc.StaleIfError);
        Assert.Null(cc.MinFresh);
        Assert.Null(cc.MaxStale);
    }

    [Theory]
    [InlineData("max-age=2147483648", 2147483648L)]
    [InlineData("max-age=2147483649", 2147483648L)]
    [InlineData("max-age=99999999999999999999999999999", 2147483648L)]
    [InlineData("max-age=2147483647", 2147483647L)]
    [InlineData("max-age=000120", 120L)]
    public void Parse_HugeValues_ClampedToTwoToTheThirtyFirst(string value, long expected)
    {
        // RFC 9111 §1.2.2: a delta-seconds too large to represent is taken as 2^31.
        var cc = CacheControl.Parse(value);

        Assert.Equal(expected, cc.MaxAge);
        Assert.False(cc.HasInvalidFreshness);
    }

    [Fact]
    public void Parse_MaxStaleWithoutValue_AcceptsAnyStaleness()
    {
        // RFC 9111 §5.2.1.2: without a value the client accepts a stale response of any age.
        var cc = CacheControl.Parse("max-stale");

        Assert.Equal(long.MaxValue, cc.MaxStale);
        Assert.False(cc.HasInvalidFreshness);
    }

    [Fact]
    public void Parse_MaxStaleWithValue_ReadsIt()
    {
        Assert.Equal(30, CacheControl.Parse("max-stale=30").MaxStale);
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("foo=bar")]
    [InlineData("community=\"UCI\"")]
    public void Parse_UnknownDirectivesOnly_AreIgnored(string value)
    {
        // RFC 9111 §5.2.3: unrecognised directives are ignored.
        var cc = CacheControl.Parse(value);

        Assert.Null(cc.MaxAge);
        Assert.False(cc.NoStore);
        Assert.False(cc.HasInvalidFreshness);
    }

    [Fact]
    public void Parse_UnknownDirectiveBetweenKnownOnes_DoesNotDisturbThem()
    {
        var cc = CacheControl.Parse("public, ext=\"a,b\", x-y, max-age=10");

        Assert.True(cc.Public);
        Assert.Equal(10, cc.MaxAge);
    }

    [Theory]
    [InlineData(",,, max-age=10 ,,")]
    [InlineData("max-age=10 garbage here, public")]
    [InlineData("=oops, max-age=10, public")]
    [InlineData(" , ;;; , max-age=10, public")]
    public void Parse_GarbageBetweenCommas_IsSkipped(string value)
    {
        var cc = CacheControl.Parse(value);

        Assert.Equal(10, cc.MaxAge);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Parse_NullOrEmpty_IsEmpty(string? value)
    {
        var cc = CacheControl.Parse(value);

        Assert.Equal(CacheControl.Empty, cc);
        Assert.False(cc.IsPresent);
    }

    [Fact]
    public void Parse_NullFieldLinesSkipped_OthersRead()
    {
        var cc = CacheControl.Parse([null, "", "no-store"]);

        Assert.True(cc.NoStore);
    }

    [Fact]
    public void Parse_NullEnumerable_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => CacheControl.Parse((IEnumerable<string?>)null!));
    }

    [Theory]
    [InlineData("max-age = 60")]
    [InlineData("max-age =60")]
    [InlineData("max-age= 60")]
    public void Parse_WhitespaceAroundEquals_MaxAgeInvalid(string value)
    {
        // RFC 9111 §5.2: directive "=" argument, with no whitespace; a spaced max-age is invalid,
        // which makes the response stale (§4.2.1).
        var cc = CacheControl.Parse(value);

        Assert.Null(cc.MaxAge);
        Assert.True(cc.HasInvalidFreshness);
    }
}
