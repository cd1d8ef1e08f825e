namespace EdgeFleet.Api.Tests;

public sealed class QuantitiesTests
{
    [Theory]
    [InlineData("1000", 1000L)]
    [InlineData("1Ki", 1024L)]
    [InlineData("2Gi", 2147483648L)]
    [InlineData("1.5Mi", 1572864L)]
    [InlineData("1G", 1000000000L)]
    [InlineData("200Gi", 214748364800L)]
    public void ParseBytes_Quantity_Bytes(string text, long expected)
    {
        Assert.Equal(expected, Quantities.ParseBytes(text));
    }

    [Theory]
    [InlineData("2GB")]
    [InlineData("-1Gi")]
    [InlineData("1 Gi")]
    public void ParseBytes_NotAQuantity_Throws(string text)
    {
        Assert.Throws<FormatException>(() => Quantities.ParseBytes(text));
    }

    [Fact]
    public void ToMebibytes_RoundsUp()
    {
        Assert.Equal("2Mi", Quantities.ToMebibytes((1024 * 1024) + 1));
        Assert.Equal("1024Mi", Quantities.ToMebibytes(1L << 30));
    }
}
