namespace EdgeFleet.Http.Tests;

public class FreshnessRuleTests
{
    private static readonly CachePolicyOptions Options = CachePolicyOptions.Default;

    private static TimeSpan Lifetime(int status, params (string Name, string Value)[] fields) =>
        FreshnessRule.Lifetime(Heads.Make(status, [(HeaderNames.Date, Heads.Date(Heads.T0)), .. fields]), Options);

    [Fact]
    public void Lifetime_SMaxAge_WinsOverEverything()
    {
        // RFC 9111 §4.2.1: a shared cache uses s-maxage first.
        var lifetime = Lifetime(200,
            (HeaderNames.CacheControl, "max-age=60, s-maxage=600"),
            (HeaderNames.Expires, Heads.Date(Heads.T0.AddHours(5))),
            (HeaderNames.LastModified, Heads.Date(Heads.T0.AddDays(-30))));

        Assert.Equal(TimeSpan.FromSeconds(600), lifetime);
    }

    [Fact]
    public void Lifetime_MaxAge_WinsOverExpires()
    {
        var lifetime = Lifetime(200, (HeaderNames.CacheControl, "max-age=60"), (HeaderNames.Expires, Heads.Date(Heads.T0.AddHours(5))));

        Assert.Equal(TimeSpan.FromSeconds(60), lifetime);
    }

    [Fact]
    public void Lifetime_Expires_IsExpiresMinusDate()
    {
        var lifetime = Lifetime(200, (HeaderNames.Expires, Heads.Date(Heads.T0.AddHours(5))), (HeaderNames.LastModified, Heads.Date(Heads.T0.AddDays(-30))));

        Assert.Equal(TimeSpan.FromHours(5), lifetime);
    }

    [Fact]
    public void Lifetime_ExpiresWithoutDate_UsesResponseTime()
    {
        // RFC 9111 §4.2.1 (with RFC 9110 §6.6.1): no Date means the time the message was received.
        var head = Heads.Make(200, Heads.T0.AddSeconds(-1), Heads.T0, (HeaderNames.Expires, Heads.Date(Heads.T0.AddMinutes(2))));

        Assert.Equal(TimeSpan.FromMinutes(2), FreshnessRule.Lifetime(head, Options));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("never")]
    public void Lifetime_InvalidExpires_IsStale(string expires)
    {
        // RFC 9111 §5.3: an invalid Expires, especially "0", means already expired.
        Assert.Equal(TimeSpan.Zero, Lifetime(200, (HeaderNames.Expires, expires), (HeaderNames.LastModified, Heads.Date(Heads.T0.AddDays(-30)))));
    }

    [Fact]
    public void Lifetime_ExpiresBeforeDate_IsZero()
    {
        Assert.Equal(TimeSpan.Zero, Lifetime(200, (HeaderNames.Expires, Heads.Date(Heads.T0.AddHours(-1)))));
    }

    [Fact]
    public void Lifetime_InvalidMaxAge_IsStaleEvenWithExpires()
    {
        // RFC 9111 §4.2.1: invalid freshness information is treated as stale.
        Assert.Equal(TimeSpan.Zero, Lifetime(200, (HeaderNames.CacheControl, "max-age=later"), (HeaderNames.Expires, Heads.Date(Heads.T0.AddHours(5)))));
    }

    [Fact]
    public void Lifetime_InvalidStaleWhileRevalidate_ExpiresStillCounts()
    {
        Assert.Equal(TimeSpan.FromHours(5), Lifetime(200, (HeaderNames.CacheControl, "stale-while-revalidate=x"), (HeaderNames.Expires, Heads.Date(Heads.T0.AddHours(5)))));
    }

    [Fact]
    public void Lifetime_InvalidMaxAgeButValidSMaxAge_UsesSMaxAge()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Lifetime(200, (HeaderNames.CacheControl, "max-age=x, s-maxage=30")));
    }

    [Theory]
    [InlineData(120, 720)]
    [InlineData(1440, 8640)]
    [InlineData(14400, 86400)]
    public void Lifetime_Heuristic_TenPercentOfTimeSinceLastModified(int minutesSinceModified, int expectedSeconds)
    {
        // RFC 9111 §4.2.2: a fraction (typically 10%) of the time since Last-Modified.
        var lifetime = Lifetime(200, (HeaderNames.LastModified, Heads.Date(Heads.T0.AddMinutes(-minutesSinceModified))));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), lifetime);
    }

    [Fact]
    public void Lifetime_HeuristicOverCap_CappedAtMaxHeuristicLifetime()
    {
        var lifetime = Lifetime(200, (HeaderNames.LastModified, Heads.Date(Heads.T0.AddDays(-365))));

        Assert.Equal(TimeSpan.FromDays(1), lifetime);
    }

    [Fact]
    public void Lifetime_HeuristicCustomOptions_Applied()
    {
        var options = new CachePolicyOptions { HeuristicFraction = 0.5, MaxHeuristicLifetime = TimeSpan.FromHours(2) };
        var head = Heads.Make(200, (HeaderNames.Date, Heads.Date(Heads.T0)), (HeaderNames.LastModified, Heads.Date(Heads.T0.AddHours(-2))));

        Assert.Equal(TimeSpan.FromHours(1), FreshnessRule.Lifetime(head, options));
    }

    [Fact]
    public void Lifetime_LastModifiedAfterDate_IsZero()
    {
        Assert.Equal(TimeSpan.Zero, Lifetime(200, (HeaderNames.LastModified, Heads.Date(Heads.T0.AddHours(1)))));
    }

    [Theory]
    [InlineData(302)]
    [InlineData(500)]
    public void Lifetime_NonHeuristicStatus_NoHeuristic(int status)
    {
        // RFC 9111 §4.2.2: heuristics only for heuristically cacheable codes (or public).
        Assert.Equal(TimeSpan.Zero, Lifetime(status, (HeaderNames.LastModified, Heads.Date(Heads.T0.AddDays(-10)))));
    }

    [Fact]
    public void Lifetime_PublicNonHeuristicStatus_UsesHeuristic()
    {
        Assert.Equal(TimeSpan.FromHours(1), Lifetime(302, (HeaderNames.CacheControl, "public"), (HeaderNames.LastModified, Heads.Date(Heads.T0.AddHours(-10)))));
    }

    [Fact]
    public void Lifetime_NothingAtAll_DefaultTtl()
    {
        var options = new CachePolicyOptions { DefaultTtl = TimeSpan.FromMinutes(5) };
        var head = Heads.Make(200, (HeaderNames.Date, Heads.Date(Heads.T0)));

        Assert.Equal(TimeSpan.FromMinutes(5), FreshnessRule.Lifetime(head, options));
        Assert.Equal(TimeSpan.Zero, FreshnessRule.Lifetime(head, CachePolicyOptions.Default));
    }

    [Fact]
    public void Lifetime_CdnCacheControl_Governs()
    {
        Assert.Equal(TimeSpan.FromSeconds(900), Lifetime(200, (HeaderNames.CacheControl, "max-age=10"), (HeaderNames.CdnCacheControl, "max-age=900")));
    }

    [Fact]
    public void Lifetime_CdnCacheControlPresent_ExpiresIgnored()
    {
        // RFC 9213 §2.1: a cache using the targeted field ignores Cache-Control and Expires.
        var lifetime = Lifetime(200,
            (HeaderNames.CdnCacheControl, "public"),
            (HeaderNames.Expires, Heads.Date(Heads.T0.AddHours(5))),
            (HeaderNames.LastModified, Heads.Date(Heads.T0.AddHours(-10))));

        Assert.Equal(TimeSpan.FromHours(1), lifetime);
    }

    [Fact]
    public void Lifetime_CdnCacheControlPresent_InvalidExpiresDoesNotMakeStale()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), Lifetime(200, (HeaderNames.CdnCacheControl, "max-age=60"), (HeaderNames.Expires, "0")));
    }

    [Fact]
    public void CurrentAge_NoAgeNoDelay_IsResidentTime()
    {
        var head = Heads.Make(200, (HeaderNames.Date, Heads.Date(Heads.T0)));

        Assert.Equal(TimeSpan.FromSeconds(30), FreshnessRule.CurrentAge(head, Heads.T0.AddSeconds(30)));
    }

    [Fact]
    public void CurrentAge_AgeHeaderAndResponseDelay_Added()
    {
        // RFC 9111 §4.2.3: corrected_age_value = age_value + response_delay.
        var head = Heads.Make(200, Heads.T0.AddSeconds(-2), Heads.T0, (HeaderNames.Date, Heads.Date(Heads.T0)), (HeaderNames.Age, "100"));

        Assert.Equal(TimeSpan.FromSeconds(102 + 10), FreshnessRule.CurrentAge(head, Heads.T0.AddSeconds(10)));
    }

    [Fact]
    public void CurrentAge_ApparentAgeLarger_UsesApparentAge()
    {
        // apparent_age = response_time - date_value, when it exceeds the corrected Age.
        var head = Heads.Make(200, Heads.T0.AddSeconds(-1), Heads.T0, (HeaderNames.Date, Heads.Date(Heads.T0.AddSeconds(-300))), (HeaderNames.Age, "10"));

        Assert.Equal(TimeSpan.FromSeconds(300), FreshnessRule.CurrentAge(head, Heads.T0));
    }

    [Fact]
    public void CurrentAge_DateInTheFuture_ApparentAgeClampedToZero()
    {
        var head = Heads.Make(200, (HeaderNames.Date, Heads.Date(Heads.T0.AddHours(1))));

        Assert.Equal(TimeSpan.FromSeconds(5), FreshnessRule.CurrentAge(head, Heads.T0.AddSeconds(5)));
    }

    [Fact]
    public void CurrentAge_NowBeforeResponseTime_ResidentTimeZero()
    {
        var head = Heads.Make(200, (HeaderNames.Age, "7"));

        Assert.Equal(TimeSpan.FromSeconds(7), FreshnessRule.CurrentAge(head, Heads.T0.AddSeconds(-60)));
    }

    [Fact]
    public void CurrentAge_RequestTimeAfterResponseTime_DelayClampedToZero()
    {
        var head = Heads.Make(200, Heads.T0.AddSeconds(5), Heads.T0, (HeaderNames.Age, "7"));

        Assert.Equal(TimeSpan.FromSeconds(7), FreshnessRule.CurrentAge(head, Heads.T0));
    }
}
