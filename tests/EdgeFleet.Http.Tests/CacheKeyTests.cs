namespace EdgeFleet.Http.Tests;

public class CacheKeyTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/a/b?x=1&y=2", "/a/b?x=1&y=2")]
    [InlineData("/A/B", "/A/B")]
    [InlineData("http://example.com/a?b=c", "/a?b=c")]
    [InlineData("https://example.com:8443/a", "/a")]
    [InlineData("http://example.com", "/")]
    public void FromTarget_OriginOrAbsoluteForm_PathAndQuery(string target, string expected)
    {
        // RFC 9112 §3.2: origin-form and absolute-form request targets.
        Assert.Equal(expected, CacheKey.FromTarget(target));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("example.com:443")]
    [InlineData("garbage")]
    [InlineData("")]
    [InlineData("ftp://example.com/a")]
    [InlineData("file:///etc/passwd")]
    public void FromTarget_NeitherForm_Null(string target)
    {
        Assert.Null(CacheKey.FromTarget(target));
    }

    [Fact]
    public void FromTarget_QueryOrderMatters_DifferentKeys()
    {
        Assert.NotEqual(CacheKey.FromTarget("/a?x=1&y=2"), CacheKey.FromTarget("/a?y=2&x=1"));
    }

    [Fact]
    public void ForVariant_NoSecondaryKey_PrimaryKey()
    {
        Assert.Equal("/a", CacheKey.ForVariant("/a", ""));
    }

    [Fact]
    public void ForVariant_SecondaryKey_SeparatedAndDistinct()
    {
        var gzip = CacheKey.ForVariant("/a", "accept-encoding:gzip\n");
        var br = CacheKey.ForVariant("/a", "accept-encoding:br\n");

        Assert.StartsWith("/a" + CacheKey.VariantSeparator, gzip, StringComparison.Ordinal);
        Assert.NotEqual(gzip, br);
        Assert.NotEqual("/a", gzip);
    }
}
