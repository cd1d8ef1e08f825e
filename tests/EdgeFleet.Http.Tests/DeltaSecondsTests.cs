namespace EdgeFleet.Http.Tests;

public class DeltaSecondsTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("7", 7L)]
    [InlineData("0007", 7L)]
    [InlineData("2147483648", DeltaSeconds.Max)]
    [InlineData("18446744073709551616", DeltaSeconds.Max)]
    public void TryParse_Digits_Succeeds(string text, long expected)
    {
        Assert.True(DeltaSeconds.TryParse(text, out var seconds));
        Assert.Equal(expected, seconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 5")]
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData("5.0")]
    [InlineData("five")]
    [InlineData("5 ")]
    public void TryParse_NotDigits_Fails(string text)
    {
        Assert.False(DeltaSeconds.TryParse(text, out var seconds));
        Assert.Equal(0, seconds);
    }
}
