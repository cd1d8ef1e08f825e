namespace EdgeFleet.Http.Tests;

public class StorabilityRuleTests
{
    private static bool Storable(int status, string? cacheControl, bool authorization = false, params (string Name, string Value)[] fields)
    {
        var all = cacheControl is null ? fields : [(HeaderNames.CacheControl, cacheControl), .. fields];
        return StorabilityRule.Evaluate(authorization, Heads.Make(status, all)).Storable;
    }

    [Theory]
    [InlineData(100)]
    [InlineData(101)]
    [InlineData(103)]
    [InlineData(206)]
    [InlineData(304)]
    public void Evaluate_NonFinalOr206Or304_NotStorable(int status)
    {
        // RFC 9111 §3: only final responses; 206 and 304 are not stored as responses of their own.
        Assert.False(Storable(status, "public, max-age=60"));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(302)]
    [InlineData(500)]
    public void Evaluate_ExplicitMaxAge_Storable(int status)
    {
        Assert.True(Storable(status, "max-age=60"));
    }

    [Fact]
    public void Evaluate_NoStore_NotStorable()
    {
        var result = StorabilityRule.Evaluate(false, Heads.Ok("max-age=60, no-store"));

        Assert.False(result.Storable);
        Assert.Equal("no-store", result.Reason);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(301)]
    [InlineData(404)]
    [InlineData(503)]
    public void Evaluate_MustUnderstandWithUnderstoodStatus_IgnoresNoStore(int status)
    {
        // RFC 9111 §5.2.2.3: a cache that understands the status code ignores no-store.
        Assert.True(Storable(status, "must-understand, no-store, max-age=60"));
    }

    [Theory]
    [InlineData(299)]
    [InlineData(226)]
    [InlineData(418)]
    [InlineData(599)]
    public void Evaluate_MustUnderstandWithUnknownStatus_NotStorable(int status)
    {
        // RFC 9111 §5.2.2.3: must not store a status code the cache does not understand.
        Assert.False(Storable(status, "must-understand, max-age=60"));
    }

    [Theory]
    [InlineData("private, max-age=60")]
    [InlineData("private=\"Set-Cookie\", public, max-age=60")]
    [InlineData("s-maxage=60, private")]
    public void Evaluate_Private_NotStorableBySharedCache(string cc)
    {
        // RFC 9111 §5.2.2.7.
        Assert.False(Storable(200, cc));
    }

    [Theory]
    [InlineData("max-age=60", false)]
    [InlineData(null, false)]
    [InlineData("public", true)]
    [InlineData("s-maxage=60", true)]
    [InlineData("must-revalidate, max-age=60", true)]
    [InlineData("public, max-age=60", true)]
    public void Evaluate_RequestWithAuthorization_NeedsPublicSMaxAgeOrMustRevalidate(string? cc, bool expected)
    {
        // RFC 9111 §3.5.
        Assert.Equal(expected, Storable(200, cc, authorization: true));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("max-age=60")]
    public void Evaluate_NoAuthorization_Storable(string? cc)
    {
        Assert.True(Storable(200, cc));
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(301, true)]
    [InlineData(404, true)]
    [InlineData(501, true)]
    [InlineData(201, false)]
    [InlineData(302, false)]
    [InlineData(400, false)]
    [InlineData(502, false)]
    public void Evaluate_NoExplicitFreshness_OnlyHeuristicallyCacheableCodes(int status, bool expected)
    {
        // RFC 9111 §3: without explicit freshness, a heuristically cacheable status code is needed.
        Assert.Equal(expected, Storable(status, null));
    }

    [Theory]
    [InlineData(302)]
    [InlineData(500)]
    public void Evaluate_PublicOnNonHeuristicCode_Storable(int status)
    {
        Assert.True(Storable(status, "public"));
    }

    [Theory]
    [InlineData("Thu, 01 Jan 2026 13:00:00 GMT")]
    [InlineData("0")]
    public void Evaluate_ExpiresOnNonHeuristicCode_Storable(string expires)
    {
        // RFC 9111 §3: an Expires field allows storage, even one that is already in the past.
        Assert.True(Storable(302, null, false, (HeaderNames.Expires, expires)));
    }

    [Fact]
    public void Evaluate_InvalidMaxAgeOnNonHeuristicCode_StoredStale()
    {
        Assert.True(Storable(302, "max-age=soon"));
    }

    [Theory]
    [InlineData("stale-if-error=soon")]
    [InlineData("stale-while-revalidate=x")]
    public void Evaluate_InvalidStaleDirectiveOnNonHeuristicCode_NotStorable(string cc)
    {
        // RFC 9111 §3: no max-age, s-maxage, Expires, public or heuristically cacheable code.
        Assert.False(Storable(302, cc));
    }

    [Fact]
    public void Evaluate_CdnCacheControlAllowsStorage_OverridesNoStoreInCacheControl()
    {
        // RFC 9213 §2.1: a targeted field overrides Cache-Control for the targeted cache.
        Assert.True(Storable(200, "no-store", false, (HeaderNames.CdnCacheControl, "max-age=600")));
    }

    [Fact]
    public void Evaluate_CdnCacheControlNoStore_OverridesCacheControlPublic()
    {
        Assert.False(Storable(200, "public, max-age=600", false, (HeaderNames.CdnCacheControl, "no-store")));
    }

    [Fact]
    public void Evaluate_CdnCacheControlPrivate_NotStorable()
    {
        Assert.False(Storable(200, "public, max-age=600", false, (HeaderNames.CdnCacheControl, "private")));
    }

    [Fact]
    public void Evaluate_CdnCacheControlPublicWithAuthorization_Storable()
    {
        Assert.True(Storable(200, "private", true, (HeaderNames.CdnCacheControl, "public, max-age=60")));
    }

    [Fact]
    public void Evaluate_CdnCacheControlPresent_ExpiresDoesNotMakeStorable()
    {
        // RFC 9213 §2.1: with the targeted field, Expires is ignored too.
        Assert.False(Storable(302, null, false, (HeaderNames.CdnCacheControl, "must-revalidate"), (HeaderNames.Expires, "Thu, 01 Jan 2026 13:00:00 GMT")));
    }

    [Fact]
    public void Evaluate_EveryVerdict_HasAReason()
    {
        Assert.False(string.IsNullOrEmpty(StorabilityRule.Evaluate(false, Heads.Make(201)).Reason));
        Assert.False(string.IsNullOrEmpty(StorabilityRule.Evaluate(false, Heads.Make(200)).Reason));
    }
}
