namespace EdgeFleet.Http.Tests;

public class ReuseRuleTests
{
    private static readonly CachePolicyOptions Options = CachePolicyOptions.Default;

    private static RequestDirectives Request(string? cacheControl = null, string? pragma = null) =>
        RequestDirectives.Parse(cacheControl is null ? [] : [cacheControl], pragma is null ? [] : [pragma]);

    private static ReuseEvaluation Evaluate(string responseCacheControl, int secondsLater, string? requestCacheControl = null, DateTimeOffset? invalidatedAt = null) =>
        ReuseRule.Evaluate(Heads.Ok(responseCacheControl), Request(requestCacheControl), Heads.T0.AddSeconds(secondsLater), Options, invalidatedAt);

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    [InlineData(99)]
    public void Evaluate_WithinMaxAge_Fresh(int secondsLater)
    {
        var evaluation = Evaluate("max-age=100", secondsLater);

        Assert.Equal(ReuseDecision.Fresh, evaluation.Decision);
        Assert.True(evaluation.CanServe);
        Assert.Equal(TimeSpan.FromSeconds(secondsLater), evaluation.Age);
        Assert.Equal(TimeSpan.FromSeconds(100 - secondsLater), evaluation.TimeToLive);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(101)]
    [InlineData(5000)]
    public void Evaluate_AgeReachesLifetime_Stale(int secondsLater)
    {
        // RFC 9111 §4.2: fresh only while the lifetime is greater than the age.
        var evaluation = Evaluate("max-age=100", secondsLater);

        Assert.Equal(ReuseDecision.Revalidate, evaluation.Decision);
        Assert.False(evaluation.CanServe);
        Assert.Equal(TimeSpan.FromSeconds(secondsLater - 100), evaluation.Staleness);
    }

    [Theory]
    [InlineData("max-age=30", 20, ReuseDecision.Fresh)]
    [InlineData("max-age=30", 30, ReuseDecision.Fresh)]
    [InlineData("max-age=30", 31, ReuseDecision.Revalidate)]
    [InlineData("max-age=0", 1, ReuseDecision.Revalidate)]
    [InlineData("min-fresh=50", 40, ReuseDecision.Fresh)]
    [InlineData("min-fresh=50", 51, ReuseDecision.Revalidate)]
    public void Evaluate_RequestMaxAgeOrMinFresh_NarrowsFresh(string requestCc, int secondsLater, ReuseDecision expected)
    {
        // RFC 9111 §5.2.1.1 and §5.2.1.3.
        Assert.Equal(expected, Evaluate("max-age=100", secondsLater, requestCc).Decision);
    }

    [Theory]
    [InlineData("max-stale=60", 150, ReuseDecision.StaleAccepted)]
    [InlineData("max-stale=60", 160, ReuseDecision.StaleAccepted)]
    [InlineData("max-stale=60", 161, ReuseDecision.Revalidate)]
    [InlineData("max-stale", 1000000, ReuseDecision.StaleAccepted)]
    [InlineData("max-stale, max-age=120", 130, ReuseDecision.Revalidate)]
    public void Evaluate_RequestMaxStale_AcceptsStale(string requestCc, int secondsLater, ReuseDecision expected)
    {
        // RFC 9111 §5.2.1.2.
        Assert.Equal(expected, Evaluate("max-age=100", secondsLater, requestCc).Decision);
    }

    [Fact]
    public void Evaluate_RequestNoCache_RevalidateRequestedEvenWhenFresh()
    {
        // RFC 9111 §5.2.1.4.
        Assert.Equal(ReuseDecision.RevalidateRequested, Evaluate("max-age=100", 1, "no-cache").Decision);
    }

    [Fact]
    public void Evaluate_PragmaNoCacheWithoutCacheControl_RevalidateRequested()
    {
        var evaluation = ReuseRule.Evaluate(Heads.Ok("max-age=100"), Request(pragma: "no-cache"), Heads.T0, Options);

        Assert.Equal(ReuseDecision.RevalidateRequested, evaluation.Decision);
    }

    [Fact]
    public void Evaluate_PragmaNoCacheWithCacheControl_Fresh()
    {
        var evaluation = ReuseRule.Evaluate(Heads.Ok("max-age=100"), Request("max-stale=5", "no-cache"), Heads.T0, Options);

        Assert.Equal(ReuseDecision.Fresh, evaluation.Decision);
    }

    [Fact]
    public void Evaluate_ResponseNoCache_RevalidateEvenWhenFresh()
    {
        // RFC 9111 §5.2.2.4.
        Assert.Equal(ReuseDecision.Revalidate, Evaluate("max-age=100, no-cache", 1).Decision);
    }

    [Theory]
    [InlineData("max-age=100, must-revalidate")]
    [InlineData("max-age=100, proxy-revalidate")]
    [InlineData("s-maxage=100")]
    [InlineData("max-age=100, s-maxage=100")]
    public void Evaluate_StaleWithRevalidateDirectives_MaxStaleNotHonoured(string responseCc)
    {
        // RFC 9111 §5.2.2.2, §5.2.2.8, §5.2.2.10: no stale reuse without validation.
        Assert.Equal(ReuseDecision.Revalidate, Evaluate(responseCc, 110, "max-stale").Decision);
    }

    [Theory]
    [InlineData("max-age=100, must-revalidate")]
    [InlineData("s-maxage=100")]
    public void Evaluate_StaleWithRevalidateDirectives_NoStaleWhileRevalidate(string responseCc)
    {
        Assert.Equal(ReuseDecision.Revalidate, Evaluate(responseCc + ", stale-while-revalidate=60", 110).Decision);
    }

    [Theory]
    [InlineData(100, ReuseDecision.StaleWhileRevalidate)]
    [InlineData(130, ReuseDecision.StaleWhileRevalidate)]
    [InlineData(160, ReuseDecision.StaleWhileRevalidate)]
    [InlineData(161, ReuseDecision.Revalidate)]
    [InlineData(50, ReuseDecision.Fresh)]
    public void Evaluate_StaleWhileRevalidateWindow(int secondsLater, ReuseDecision expected)
    {
        // RFC 5861 §3.
        Assert.Equal(expected, Evaluate("max-age=100, stale-while-revalidate=60", secondsLater).Decision);
    }

    [Theory]
    [InlineData("max-age=500")]
    [InlineData("min-fresh=1")]
    public void Evaluate_StaleWhileRevalidateWithRequestBounds_Revalidate(string requestCc)
    {
        Assert.Equal(ReuseDecision.Revalidate, Evaluate("max-age=100, stale-while-revalidate=60", 110, requestCc).Decision);
    }

    [Fact]
    public void Evaluate_SoftPurgedFreshObject_Stale()
    {
        var evaluation = Evaluate("max-age=100", 20, invalidatedAt: Heads.T0.AddSeconds(10));

        Assert.Equal(ReuseDecision.Revalidate, evaluation.Decision);
        Assert.Equal(TimeSpan.FromSeconds(10), evaluation.Staleness);
        Assert.True(evaluation.TimeToLive <= TimeSpan.Zero);
    }

    [Fact]
    public void Evaluate_SoftPurgedAtNow_Stale()
    {
        Assert.Equal(ReuseDecision.Revalidate, Evaluate("max-age=100", 20, invalidatedAt: Heads.T0.AddSeconds(20)).Decision);
    }

    [Fact]
    public void Evaluate_SoftPurged_NoStaleWhileRevalidate()
    {
        Assert.Equal(ReuseDecision.Revalidate, Evaluate("max-age=100, stale-while-revalidate=600", 20, invalidatedAt: Heads.T0.AddSeconds(10)).Decision);
    }

    [Fact]
    public void Evaluate_SoftPurgedWithMaxStale_StaleAccepted()
    {
        Assert.Equal(ReuseDecision.StaleAccepted, Evaluate("max-age=100", 20, "max-stale=60", Heads.T0.AddSeconds(10)).Decision);
    }

    [Fact]
    public void Evaluate_InvalidMaxAge_StaleFromTheStart()
    {
        Assert.Equal(ReuseDecision.Revalidate, Evaluate("max-age=oops", 0).Decision);
    }

    [Theory]
    [InlineData("max-age=100, stale-if-error=60", null, 150, true)]
    [InlineData("max-age=100, stale-if-error=60", null, 160, true)]
    [InlineData("max-age=100, stale-if-error=60", null, 161, false)]
    [InlineData("max-age=100", "stale-if-error=60", 150, true)]
    [InlineData("max-age=100", "stale-if-error=60", 170, false)]
    [InlineData("max-age=100, stale-if-error=10", "stale-if-error=60", 150, true)]
    [InlineData("max-age=100", null, 101, false)]
    [InlineData("max-age=100, must-revalidate, stale-if-error=60", null, 110, false)]
    [InlineData("max-age=100, proxy-revalidate, stale-if-error=60", null, 110, false)]
    [InlineData("s-maxage=100, stale-if-error=60", null, 110, false)]
    [InlineData("max-age=100, must-revalidate", "stale-if-error=60", 110, false)]
    [InlineData("max-age=100, no-cache, stale-if-error=60", null, 110, false)]
    [InlineData("no-cache", "stale-if-error=60", 110, false)]
    public void CanServeStaleOnError_Windows(string responseCc, string? requestCc, int secondsLater, bool expected)
    {
        // RFC 5861 §4; RFC 9111 §4.2.4 forbids stale responses against must-revalidate and its kin.
        var stored = Heads.Ok(responseCc);
        var request = Request(requestCc);
        var evaluation = ReuseRule.Evaluate(stored, request, Heads.T0.AddSeconds(secondsLater), Options);

        Assert.Equal(expected, ReuseRule.CanServeStaleOnError(stored, request, evaluation));
    }

    [Fact]
    public void Evaluate_CdnCacheControlLongerThanCacheControl_Fresh()
    {
        var stored = Heads.Ok("max-age=10", (HeaderNames.CdnCacheControl, "max-age=600"));

        Assert.Equal(ReuseDecision.Fresh, ReuseRule.Evaluate(stored, Request(), Heads.T0.AddSeconds(300), Options).Decision);
    }
}
