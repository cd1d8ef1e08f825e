namespace EdgeFleet.Http.Tests;

public class HttpDateTests
{
    private static readonly DateTimeOffset Expected = new(1994, 11, 6, 8, 49, 37, TimeSpan.Zero);

    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT")] // IMF-fixdate
    [InlineData("Sunday, 06-Nov-94 08:49:37 GMT")] // obsolete RFC 850
    [InlineData("Sun Nov  6 08:49:37 1994")] // obsolete asctime
    [InlineData("  Sun, 06 Nov 1994 08:49:37 GMT ")]
    public void TryParse_ThreeFormats_SameInstant(string text)
    {
        // RFC 9110 §5.6.7: recipients accept all three formats.
        Assert.True(HttpDate.TryParse(text, out var value));
        Assert.Equal(Expected, value);
        Assert.Equal(TimeSpan.Zero, value.Offset);
    }

    [Fact]
    public void TryParse_AsctimeTwoDigitDay_Succeeds()
    {
        Assert.True(HttpDate.TryParse("Wed Nov 16 08:49:37 1994", out var value));
        Assert.Equal(new DateTimeOffset(1994, 11, 16, 8, 49, 37, TimeSpan.Zero), value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("yesterday")]
    [InlineData("Sun, 06 Nov 1994 08:49:37")]
    [InlineData("Sun, 06 Nov 1994 08:49:37 PST")]
    [InlineData("Sun, 32 Nov 1994 08:49:37 GMT")]
    [InlineData("Sun, 06 Foo 1994 08:49:37 GMT")]
    [InlineData("1994-11-06T08:49:37Z")]
    public void TryParse_NotAnHttpDate_Fails(string? text)
    {
        Assert.False(HttpDate.TryParse(text, out _));
    }

    [Fact]
    public void Format_AnyOffset_IsImfFixdateInGmt()
    {
        var value = new DateTimeOffset(1994, 11, 6, 10, 49, 37, TimeSpan.FromHours(2));

        Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.Format(value));
    }

    [Fact]
    public void Format_ThenParse_RoundTrips()
    {
        Assert.True(HttpDate.TryParse(HttpDate.Format(Heads.T0), out var value));
        Assert.Equal(Heads.T0, value);
    }
}
