using System.Text;

namespace EdgeFleet.Metrics.Tests;

public sealed class PrometheusTextTests
{
    [Theory]
    [InlineData("edgefleet_cache_requests_total", "edgefleet_cache_requests_total")]
    [InlineData("edgefleet.cache/requests-total", "edgefleet_cache_requests_total")]
    [InlineData("job:rate5m", "job:rate5m")]
    [InlineData("1xx", "_1xx")]
    [InlineData("é", "_")]
    [InlineData("", "_")]
    public void SanitizeMetricName_Name_ReplacesInvalidCharacters(string name, string expected)
    {
        Assert.Equal(expected, PrometheusText.SanitizeMetricName(name));
    }

    [Theory]
    [InlineData("http.response.status_code", "http_response_status_code")]
    [InlineData("a:b", "a_b")]
    [InlineData("__name__", "_name__")]
    [InlineData("2fa", "_2fa")]
    public void SanitizeLabelName_Name_ReplacesInvalidAndReservedForms(string name, string expected)
    {
        Assert.Equal(expected, PrometheusText.SanitizeLabelName(name));
    }

    [Fact]
    public void AppendEscapedHelp_QuotesAndLineBreaks_EscapesOnlyWhatHelpNeeds()
    {
        var builder = new StringBuilder();
        PrometheusText.AppendEscapedHelp(builder, "say \"hi\"\\\r\nbye");
        Assert.Equal("say \"hi\"\\\\ \\nbye", builder.ToString());
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(1048576d, "1048576")]
    public void AppendDouble_Value_WritesWhatPrometheusParses(double value, string expected)
    {
        var builder = new StringBuilder();
        PrometheusText.AppendDouble(builder, value);
        Assert.Equal(expected, builder.ToString());
    }

    [Theory]
    [InlineData(true, "true")]
    [InlineData(404, "404")]
    [InlineData(2.5, "2.5")]
    [InlineData(null, "")]
    public void FormatTagValue_Value_UsesInvariantText(object? value, string expected)
    {
        Assert.Equal(expected, PrometheusText.FormatTagValue(value));
    }
}
