namespace EdgeFleet.Http.Tests;

public class ResponseHeadTests
{
    [Fact]
    public void Effective_CdnCacheControlPresent_ReplacesCacheControl()
    {
        // RFC 9213 §2.1: the targeted field, when present, is used instead of Cache-Control.
        var head = Heads.Make(200, (HeaderNames.CacheControl, "max-age=10, must-revalidate"), (HeaderNames.CdnCacheControl, "max-age=600"));

        Assert.Equal(600, head.Effective.MaxAge);
        Assert.False(head.Effective.MustRevalidate);
        Assert.Equal(10, head.CacheControl.MaxAge);
    }

    [Fact]
    public void Effective_NoCdnCacheControl_IsCacheControl()
    {
        var head = Heads.Make(200, (HeaderNames.CacheControl, "max-age=10"));

        Assert.Equal(10, head.Effective.MaxAge);
    }

    [Theory]
    [InlineData("60", 60L)]
    [InlineData("60, 70", 60L)]
    [InlineData(" 42 ", 42L)]
    public void Age_ValidOrList_UsesFirstMember(string value, long expected)
    {
        // RFC 9111 §5.1: a list-based Age uses its first member.
        var head = Heads.Make(200, (HeaderNames.Age, value));

        Assert.Equal(expected, head.Age);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("abc")]
    [InlineData("1.5")]
    public void Age_Invalid_IsIgnored(string value)
    {
        // RFC 9111 §5.1: an invalid Age is ignored.
        Assert.Null(Heads.Make(200, (HeaderNames.Age, value)).Age);
    }

    [Fact]
    public void Expires_Invalid_PresentButNoDate()
    {
        var head = Heads.Make(200, (HeaderNames.Expires, "0"));

        Assert.True(head.HasExpires);
        Assert.Null(head.Expires);
    }

    [Fact]
    public void Validators_ETagAndLastModified_Parsed()
    {
        var head = Heads.Make(200, (HeaderNames.ETag, "W/\"v1\""), (HeaderNames.LastModified, "Sun, 06 Nov 1994 08:49:37 GMT"));

        Assert.Equal(new EntityTag("v1", true), head.ETag);
        Assert.Equal(new DateTimeOffset(1994, 11, 6, 8, 49, 37, TimeSpan.Zero), head.LastModified);
        Assert.True(head.HasValidator);
        Assert.False(Heads.Make(200).HasValidator);
    }
}
