namespace EdgeFleet.Http.Tests;

public class CacheStatusTests
{
    [Theory]
    [InlineData(120.9, "edge; hit; ttl=120")]
    [InlineData(0, "edge; hit; ttl=0")]
    [InlineData(-30, "edge; hit; ttl=-30")]
    [InlineData(-0.5, "edge; hit; ttl=-1")]
    public void Hit_Ttl_WholeSeconds(double ttlSeconds, string expected)
    {
        // RFC 9211 §2.1 hit, §2.6 ttl (negative once stale).
        Assert.Equal(expected, CacheStatus.Hit("edge", TimeSpan.FromSeconds(ttlSeconds)));
    }

    [Fact]
    public void Hit_Detail_Appended()
    {
        Assert.Equal("edge; hit; ttl=-5; detail=stale-while-revalidate", CacheStatus.Hit("edge", TimeSpan.FromSeconds(-5), "stale-while-revalidate"));
    }

    [Fact]
    public void Forward_AllParameters_InOrder()
    {
        var text = CacheStatus.Forward("shield", CacheStatus.Fwd.UriMiss, 200, true, TimeSpan.FromSeconds(60), "x", collapsed: true);

        Assert.Equal("shield; fwd=uri-miss; fwd-status=200; stored; collapsed; ttl=60; detail=x", text);
    }

    [Fact]
    public void Forward_Minimal_OnlyFwd()
    {
        Assert.Equal("edge; fwd=bypass", CacheStatus.Forward("edge", CacheStatus.Fwd.Bypass, null, false));
    }

    [Theory]
    [InlineData("EdgeFleet", "EdgeFleet")]
    [InlineData("edge-eu-1.example:443/x", "edge-eu-1.example:443/x")]
    [InlineData("1edge", "\"1edge\"")]
    [InlineData("edge (eu)", "\"edge (eu)\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("caf\u00e9", "\"caf?\"")]
    public void Forward_CacheNameNotAToken_SentAsString(string name, string expected)
    {
        // RFC 9211 §2: the cache is named by an sf-token or an sf-string (RFC 8941 §3.3.3, §3.3.4).
        Assert.Equal($"{expected}; fwd=miss", CacheStatus.Forward(name, CacheStatus.Fwd.Miss, null, false));
    }

    [Fact]
    public void Hit_DetailNotAToken_SentAsString()
    {
        // RFC 9211 §2.8: detail is an sf-token or an sf-string.
        Assert.Equal("edge; hit; ttl=1; detail=\"origin slow\"", CacheStatus.Hit("edge", TimeSpan.FromSeconds(1), "origin slow"));
    }

    [Theory]
    [InlineData(CacheStatus.Fwd.Bypass, "bypass")]
    [InlineData(CacheStatus.Fwd.Method, "method")]
    [InlineData(CacheStatus.Fwd.UriMiss, "uri-miss")]
    [InlineData(CacheStatus.Fwd.VaryMiss, "vary-miss")]
    [InlineData(CacheStatus.Fwd.Miss, "miss")]
    [InlineData(CacheStatus.Fwd.Request, "request")]
    [InlineData(CacheStatus.Fwd.Stale, "stale")]
    public void Fwd_ValuesAreRfc9211Tokens(string value, string expected)
    {
        // RFC 9211 §2.2.
        Assert.Equal(expected, value);
    }
}
