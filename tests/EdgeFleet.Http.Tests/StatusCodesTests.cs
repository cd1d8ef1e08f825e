namespace EdgeFleet.Http.Tests;

public class StatusCodesTests
{
    [Theory]
    [InlineData(200, true)]
    [InlineData(203, true)]
    [InlineData(204, true)]
    [InlineData(206, true)]
    [InlineData(300, true)]
    [InlineData(301, true)]
    [InlineData(308, true)]
    [InlineData(404, true)]
    [InlineData(405, true)]
    [InlineData(410, true)]
    [InlineData(414, true)]
    [InlineData(501, true)]
    [InlineData(201, false)]
    [InlineData(302, false)]
    [InlineData(307, false)]
    [InlineData(403, false)]
    [InlineData(500, false)]
    [InlineData(503, false)]
    public void IsHeuristicallyCacheable_Rfc9110List(int status, bool expected)
    {
        // RFC 9110 §15.1: the heuristically cacheable status codes.
        Assert.Equal(expected, StatusCodes.IsHeuristicallyCacheable(status));
    }
}
