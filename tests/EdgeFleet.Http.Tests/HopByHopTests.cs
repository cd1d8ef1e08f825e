namespace EdgeFleet.Http.Tests;

public class HopByHopTests
{
    [Theory]
    [InlineData("Connection", true)]
    [InlineData("keep-alive", true)]
    [InlineData("Proxy-Connection", true)]
    [InlineData("TE", true)]
    [InlineData("Trailer", true)]
    [InlineData("transfer-encoding", true)]
    [InlineData("Upgrade", true)]
    [InlineData("Proxy-Authorization", true)]
    [InlineData("Cache-Control", false)]
    [InlineData("Content-Length", false)]
    [InlineData("ETag", false)]
    public void IsHopByHop_FixedList(string name, bool expected)
    {
        // RFC 9110 §7.6.1.
        Assert.Equal(expected, HopByHop.IsHopByHop(name));
    }

    [Theory]
    [InlineData("close", true)]
    [InlineData("Close", true)]
    [InlineData(" keep-alive ,\tCLOSE ", true)]
    [InlineData("upgrade,close", true)]
    [InlineData("close,", true)]
    [InlineData("keep-alive", false)]
    [InlineData("closed", false)]
    [InlineData("x-close", false)]
    [InlineData("clo se", false)]
    [InlineData(",,", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void HasClose_FindsTheCloseOptionInALine(string? line, bool expected)
    {
        // RFC 9112 §9.6: "close" is a connection option; options are case-insensitive (RFC 9110 §7.6.1).
        Assert.Equal(expected, HopByHop.HasClose(line));
    }

    [Fact]
    public void ConnectionOptions_ListsAcrossLines_CaseInsensitive()
    {
        var options = HopByHop.ConnectionOptions(["close, X-Foo", null, " x-bar ,"]);

        Assert.Contains("x-foo", options);
        Assert.Contains("X-BAR", options);
        Assert.Contains("close", options);
        Assert.Equal(3, options.Count);
    }

    [Theory]
    [InlineData("X-Foo", true)]
    [InlineData("Upgrade", true)]
    [InlineData("X-Other", false)]
    public void ShouldDrop_FixedOrConnectionListed(string name, bool expected)
    {
        var options = HopByHop.ConnectionOptions(["X-Foo"]);

        Assert.Equal(expected, HopByHop.ShouldDrop(name, options));
    }
}
