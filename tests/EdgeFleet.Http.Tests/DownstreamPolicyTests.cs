namespace EdgeFleet.Http.Tests;

public class DownstreamPolicyTests
{
    private static readonly DownstreamPolicy Policy = new(
    [
        new DownstreamRule { ContentTypes = ["image/*"], CacheControl = "public, max-age=2419200" },
        new DownstreamRule { ContentTypes = ["video/mp4", "application/json"], CacheControl = "public, max-age=60", Expires = TimeSpan.Zero },
        new DownstreamRule { ContentTypes = ["*/*"], CacheControl = "public, s-maxage=30" },
    ]);

    private static ResponseHead Response(string contentType, string? cacheControl = null)
    {
        (string, string)[] fields = cacheControl is null
            ? [(HeaderNames.ContentType, contentType)]
            : [(HeaderNames.ContentType, contentType), (HeaderNames.CacheControl, cacheControl)];
        return Heads.Make(200, fields);
    }

    [Theory]
    [InlineData("image/png")]
    [InlineData("IMAGE/JPEG")]
    [InlineData("image/svg+xml; charset=utf-8")]
    public void For_WildcardSubtype_FirstRuleWithExpires(string contentType)
    {
        var result = Policy.For(Response(contentType, "max-age=5"), Heads.T0);

        Assert.NotNull(result);
        Assert.Equal("public, max-age=2419200", result.Value.CacheControl);
        Assert.Equal(HttpDate.Format(Heads.T0.AddSeconds(2419200)), result.Value.Expires);
    }

    [Theory]
    [InlineData("video/mp4")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData(" Application/JSON ")]
    public void For_ExactTypeWithParameters_MatchesWithoutExpires(string contentType)
    {
        var result = Policy.For(Response(contentType), Heads.T0);

        Assert.Equal(("public, max-age=60", (string?)null), result);
    }

    [Fact]
    public void For_CatchAllWithoutMaxAge_NoExpires()
    {
        var result = Policy.For(Response("text/html"), Heads.T0);

        Assert.Equal(("public, s-maxage=30", (string?)null), result);
    }

    [Theory]
    [InlineData("private, max-age=60")]
    [InlineData("no-store")]
    [InlineData("private=\"Set-Cookie\"")]
    public void For_PrivateOrNoStore_NeverRewritten(string cacheControl)
    {
        Assert.Null(Policy.For(Response("image/png", cacheControl), Heads.T0));
    }

    [Fact]
    public void For_NoMatchingRule_Null()
    {
        var policy = new DownstreamPolicy([new DownstreamRule { ContentTypes = ["image/*"], CacheControl = "public, max-age=1" }]);

        Assert.Null(policy.For(Response("text/html"), Heads.T0));
        Assert.Null(policy.For(Heads.Make(200), Heads.T0));
    }

    [Fact]
    public void For_NoRules_Null()
    {
        Assert.Null(DownstreamPolicy.None.For(Response("image/png"), Heads.T0));
    }

    [Theory]
    [InlineData("image/*", "image/png", true)]
    [InlineData("image/*", "imagex/png", false)]
    [InlineData("image/*", "video/mp4", false)]
    [InlineData("text/html", "text/html;charset=utf-8", true)]
    [InlineData("text/html", "text/plain", false)]
    [InlineData("*/*", "anything/at-all", true)]
    [InlineData("text/html", "", false)]
    public void Matches_Patterns(string pattern, string contentType, bool expected)
    {
        var rule = new DownstreamRule { ContentTypes = [pattern], CacheControl = "public" };

        Assert.Equal(expected, rule.Matches(contentType));
    }

    [Fact]
    public void Matches_Null_False()
    {
        Assert.False(new DownstreamRule { ContentTypes = ["*/*"] }.Matches(null));
    }
}
