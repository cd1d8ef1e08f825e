namespace EdgeFleet.Api.Tests;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("60s", "00:01:00")]
    [InlineData("1m30s", "00:01:30")]
    [InlineData("1.5h", "01:30:00")]
    [InlineData("250ms", "00:00:00.2500000")]
    [InlineData("672h", "28.00:00:00")]
    [InlineData("0s", "00:00:00")]
    public void Parse_GoDuration_ToConfigurationString(string text, string expected)
    {
        Assert.Equal(expected, Durations.ToConfigurationString(Durations.Parse(text)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("-5s")]
    [InlineData("5d")]
    [InlineData("s")]
    public void TryParse_NotADuration_ReturnsFalse(string text)
    {
        Assert.False(Durations.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Durations.Parse(text));
    }
}
