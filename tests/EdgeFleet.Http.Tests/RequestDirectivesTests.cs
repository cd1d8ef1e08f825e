namespace EdgeFleet.Http.Tests;

public class RequestDirectivesTests
{
    [Theory]
    [InlineData("no-cache")]
    [InlineData("No-Cache")]
    [InlineData("foo, no-cache")]
    public void Parse_PragmaNoCacheWithoutCacheControl_NoCache(string pragma)
    {
        // RFC 9111 §5.4: Pragma: no-cache is honoured only without Cache-Control.
        var directives = RequestDirectives.Parse([], [pragma]);

        Assert.True(directives.PragmaNoCache);
        Assert.True(directives.NoCache);
    }

    [Fact]
    public void Parse_PragmaNoCacheWithCacheControl_Ignored()
    {
        var directives = RequestDirectives.Parse(["max-age=60"], ["no-cache"]);

        Assert.False(directives.PragmaNoCache);
        Assert.False(directives.NoCache);
    }

    [Theory]
    [InlineData("cache")]
    [InlineData("no-cache-please")]
    public void Parse_OtherPragma_NotNoCache(string pragma)
    {
        Assert.False(RequestDirectives.Parse([], [pragma]).NoCache);
    }

    [Fact]
    public void Parse_CacheControlNoCache_NoCache()
    {
        Assert.True(RequestDirectives.Parse(["no-cache"], []).NoCache);
    }
}
