namespace EdgeFleet.Http.Tests;

public class ConditionalRuleTests
{
    private static readonly EntityTag Strong = new("v1", false);
    private static readonly EntityTag Weak = new("v1", true);
    private static readonly DateTimeOffset Modified = Heads.T0.AddDays(-1);

    private static PreconditionResult Evaluate(EntityTag? etag, DateTimeOffset? lastModified, params (string Name, string Value)[] fields) =>
        ConditionalRule.Evaluate(Heads.Request(fields), etag, lastModified);

    [Fact]
    public void Evaluate_NoPreconditions_Proceed()
    {
        Assert.Equal(PreconditionResult.Proceed, Evaluate(Strong, Modified));
    }

    [Theory]
    [InlineData("\"v1\"", PreconditionResult.Proceed)]
    [InlineData("\"v0\", \"v1\"", PreconditionResult.Proceed)]
    [InlineData("*", PreconditionResult.Proceed)]
    [InlineData("\"v2\"", PreconditionResult.Failed)]
    [InlineData("W/\"v1\"", PreconditionResult.Failed)]
    public void Evaluate_IfMatch_StrongComparison(string ifMatch, PreconditionResult expected)
    {
        // RFC 9110 §13.1.1: If-Match uses the strong comparison.
        Assert.Equal(expected, Evaluate(Strong, Modified, (HeaderNames.IfMatch, ifMatch)));
    }

    [Fact]
    public void Evaluate_IfMatchAgainstWeakTag_Failed()
    {
        Assert.Equal(PreconditionResult.Failed, Evaluate(Weak, Modified, (HeaderNames.IfMatch, "W/\"v1\"")));
    }

    [Fact]
    public void Evaluate_IfMatchStarWithoutETag_StillHasRepresentationButNoTag_Failed()
    {
        // The rule treats "no entity tag" as nothing for * to match.
        Assert.Equal(PreconditionResult.Failed, Evaluate(null, Modified, (HeaderNames.IfMatch, "*")));
    }

    [Theory]
    [InlineData(-1, PreconditionResult.Failed)]
    [InlineData(0, PreconditionResult.Proceed)]
    [InlineData(1, PreconditionResult.Proceed)]
    public void Evaluate_IfUnmodifiedSince_ComparesWithLastModified(int offsetSeconds, PreconditionResult expected)
    {
        // RFC 9110 §13.1.4: false when the representation was modified after the date.
        Assert.Equal(expected, Evaluate(Strong, Modified, (HeaderNames.IfUnmodifiedSince, Heads.Date(Modified.AddSeconds(offsetSeconds)))));
    }

    [Fact]
    public void Evaluate_IfUnmodifiedSinceWithoutLastModified_Ignored()
    {
        // RFC 9110 §13.1.4: ignored when the resource has no modification date.
        Assert.Equal(PreconditionResult.Proceed, Evaluate(Strong, null, (HeaderNames.IfUnmodifiedSince, Heads.Date(Modified))));
    }

    [Fact]
    public void Evaluate_IfUnmodifiedSinceInvalidDate_Ignored()
    {
        Assert.Equal(PreconditionResult.Proceed, Evaluate(Strong, Modified, (HeaderNames.IfUnmodifiedSince, "yesterday")));
    }

    [Fact]
    public void Evaluate_IfMatchPresent_IfUnmodifiedSinceIgnored()
    {
        // RFC 9110 §13.2.2 step 2 only applies without If-Match.
        Assert.Equal(PreconditionResult.Proceed, Evaluate(Strong, Modified,
            (HeaderNames.IfMatch, "\"v1\""), (HeaderNames.IfUnmodifiedSince, Heads.Date(Modified.AddDays(-5)))));
    }

    [Fact]
    public void Evaluate_IfMatchFailsAndIfNoneMatchMatches_FailedFirst()
    {
        // RFC 9110 §13.2.2: If-Match is evaluated before If-None-Match.
        Assert.Equal(PreconditionResult.Failed, Evaluate(Strong, Modified, (HeaderNames.IfMatch, "\"zzz\""), (HeaderNames.IfNoneMatch, "\"v1\"")));
    }

    [Fact]
    public void Evaluate_IfUnmodifiedSinceFailsAndIfNoneMatchMatches_FailedFirst()
    {
        Assert.Equal(PreconditionResult.Failed, Evaluate(Strong, Modified,
            (HeaderNames.IfUnmodifiedSince, Heads.Date(Modified.AddDays(-1))), (HeaderNames.IfNoneMatch, "\"v1\"")));
    }

    [Theory]
    [InlineData("\"v1\"", PreconditionResult.NotModified)]
    [InlineData("W/\"v1\"", PreconditionResult.NotModified)]
    [InlineData("\"a\", \"b\", W/\"v1\"", PreconditionResult.NotModified)]
    [InlineData("*", PreconditionResult.NotModified)]
    [InlineData("\"v2\"", PreconditionResult.Proceed)]
    [InlineData("\"a\", \"b\"", PreconditionResult.Proceed)]
    public void Evaluate_IfNoneMatch_WeakComparison(string ifNoneMatch, PreconditionResult expected)
    {
        // RFC 9110 §13.1.2: If-None-Match uses the weak comparison; * matches any representation.
        Assert.Equal(expected, Evaluate(Strong, Modified, (HeaderNames.IfNoneMatch, ifNoneMatch)));
        Assert.Equal(expected, Evaluate(Weak, Modified, (HeaderNames.IfNoneMatch, ifNoneMatch)));
    }

    [Fact]
    public void Evaluate_IfNoneMatchOverTwoLines_ReadsBoth()
    {
        Assert.Equal(PreconditionResult.NotModified, Evaluate(Strong, Modified, (HeaderNames.IfNoneMatch, "\"a\""), (HeaderNames.IfNoneMatch, "\"v1\"")));
    }

    [Fact]
    public void Evaluate_IfNoneMatchWithoutETag_Proceed()
    {
        Assert.Equal(PreconditionResult.Proceed, Evaluate(null, Modified, (HeaderNames.IfNoneMatch, "\"v1\"")));
    }

    [Fact]
    public void Evaluate_IfNoneMatchPresent_IfModifiedSinceIgnored()
    {
        // RFC 9110 §13.1.3: If-Modified-Since is ignored when If-None-Match is present.
        Assert.Equal(PreconditionResult.Proceed, Evaluate(Strong, Modified,
            (HeaderNames.IfNoneMatch, "\"other\""), (HeaderNames.IfModifiedSince, Heads.Date(Heads.T0))));
    }

    [Theory]
    [InlineData(0, PreconditionResult.NotModified)]
    [InlineData(3600, PreconditionResult.NotModified)]
    [InlineData(-1, PreconditionResult.Proceed)]
    public void Evaluate_IfModifiedSince_ComparesWithLastModified(int offsetSeconds, PreconditionResult expected)
    {
        // RFC 9110 §13.1.3: not modified when Last-Modified is earlier than or equal to the date.
        Assert.Equal(expected, Evaluate(Strong, Modified, (HeaderNames.IfModifiedSince, Heads.Date(Modified.AddSeconds(offsetSeconds)))));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("not a date")]
    public void Evaluate_IfModifiedSinceInvalid_Proceed(string value)
    {
        Assert.Equal(PreconditionResult.Proceed, Evaluate(Strong, Modified, (HeaderNames.IfModifiedSince, value)));
    }

    [Fact]
    public void Evaluate_IfModifiedSinceTwoLines_Ignored()
    {
        // RFC 9110 §13.1.3: a field value with more than one member is ignored.
        var date = Heads.Date(Heads.T0);

        Assert.Equal(PreconditionResult.Proceed, Evaluate(Strong, Modified, (HeaderNames.IfModifiedSince, date), (HeaderNames.IfModifiedSince, date)));
    }

    [Fact]
    public void Evaluate_IfUnmodifiedSinceTwoLines_Ignored()
    {
        // RFC 9110 §13.1.4: likewise for If-Unmodified-Since.
        var date = Heads.Date(Modified.AddDays(-1));

        Assert.Equal(PreconditionResult.Proceed, Evaluate(Strong, Modified, (HeaderNames.IfUnmodifiedSince, date), (HeaderNames.IfUnmodifiedSince, date)));
    }

    [Fact]
    public void Evaluate_IfModifiedSinceWithoutLastModified_Proceed()
    {
        Assert.Equal(PreconditionResult.Proceed, Evaluate(Strong, null, (HeaderNames.IfModifiedSince, Heads.Date(Heads.T0))));
    }

    [Fact]
    public void IfRangeHolds_NoIfRange_Holds()
    {
        Assert.True(ConditionalRule.IfRangeHolds(null, Strong, Modified, Heads.T0));
        Assert.True(ConditionalRule.IfRangeHolds("  ", Strong, Modified, Heads.T0));
    }

    [Theory]
    [InlineData("\"v1\"", true)]
    [InlineData("\"v2\"", false)]
    [InlineData("W/\"v1\"", false)]
    public void IfRangeHolds_EntityTag_StrongComparisonOnly(string ifRange, bool expected)
    {
        // RFC 9110 §13.1.5: If-Range uses the strong comparison.
        Assert.Equal(expected, ConditionalRule.IfRangeHolds(ifRange, Strong, Modified, Heads.T0));
    }

    [Fact]
    public void IfRangeHolds_WeakStoredTag_DoesNotHold()
    {
        Assert.False(ConditionalRule.IfRangeHolds("\"v1\"", Weak, Modified, Heads.T0));
    }

    [Fact]
    public void IfRangeHolds_ExactStrongLastModified_Holds()
    {
        Assert.True(ConditionalRule.IfRangeHolds(Heads.Date(Modified), null, Modified, Heads.T0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void IfRangeHolds_DifferentDate_DoesNotHold(int offsetSeconds)
    {
        // RFC 9110 §13.1.5: the date must match exactly.
        Assert.False(ConditionalRule.IfRangeHolds(Heads.Date(Modified.AddSeconds(offsetSeconds)), null, Modified, Heads.T0));
    }

    [Fact]
    public void IfRangeHolds_LastModifiedWithinASecondOfDate_WeakSoDoesNotHold()
    {
        // RFC 9110 §8.8.2.2: Last-Modified is strong only when Date is at least a second later.
        Assert.False(ConditionalRule.IfRangeHolds(Heads.Date(Modified), null, Modified, Modified));
        Assert.False(ConditionalRule.IfRangeHolds(Heads.Date(Modified), null, Modified, null));
    }

    [Fact]
    public void IfRangeHolds_Garbage_DoesNotHold()
    {
        Assert.False(ConditionalRule.IfRangeHolds("v1", Strong, Modified, Heads.T0));
    }

    [Fact]
    public void NotModifiedFields_IncludeTheRequiredOnes()
    {
        // RFC 9110 §15.4.5.
        foreach (var name in new[] { "Cache-Control", "Content-Location", "Date", "ETag", "Expires", "Vary" })
        {
            Assert.Contains(name, ConditionalRule.NotModifiedFields);
        }
    }
}
