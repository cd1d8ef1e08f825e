namespace EdgeFleet.Http.Tests;

public class UnsafeMethodRuleTests
{
    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("OPTIONS", true)]
    [InlineData("TRACE", true)]
    [InlineData("POST", false)]
    [InlineData("PUT", false)]
    [InlineData("DELETE", false)]
    [InlineData("PATCH", false)]
    [InlineData("get", false)]
    public void IsSafe_Rfc9110Methods(string method, bool expected)
    {
        // RFC 9110 §9.2.1; method names are case-sensitive (§9.1).
        Assert.Equal(expected, UnsafeMethodRule.IsSafe(method));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    public void KeysToInvalidate_SafeMethod_Nothing(string method)
    {
        Assert.Empty(UnsafeMethodRule.KeysToInvalidate(method, "/a", "example.com", 200, "/b", "/c"));
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(204, true)]
    [InlineData(303, true)]
    [InlineData(399, true)]
    [InlineData(199, false)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    [InlineData(500, false)]
    public void KeysToInvalidate_OnlyNonErrorStatus(int status, bool invalidates)
    {
        // RFC 9111 §4.4: invalidate on a non-error (2xx or 3xx) response.
        var keys = UnsafeMethodRule.KeysToInvalidate("POST", "/a", "example.com", status, null, null);

        Assert.Equal(invalidates ? ["/a"] : [], keys);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PURGE-ME")]
    [InlineData("get")]
    public void KeysToInvalidate_UnsafeOrUnknownMethod_InvalidatesTarget(string method)
    {
        // RFC 9111 §4.4: including methods whose safety is unknown.
        Assert.Equal(["/a"], UnsafeMethodRule.KeysToInvalidate(method, "/a", "example.com", 204, null, null));
    }

    [Theory]
    [InlineData("/b?x=1", "/b?x=1")]
    [InlineData("b", "/dir/b")]
    [InlineData("http://example.com/b", "/b")]
    [InlineData("//example.com/b", "/b")]
    [InlineData(" /b ", "/b")]
    public void KeysToInvalidate_SameOriginLocation_Added(string location, string expected)
    {
        var keys = UnsafeMethodRule.KeysToInvalidate("POST", "/dir/a", "example.com", 201, location, null);

        Assert.Equal(["/dir/a", expected], keys);
    }

    [Fact]
    public void KeysToInvalidate_SameOriginContentLocation_Added()
    {
        var keys = UnsafeMethodRule.KeysToInvalidate("PUT", "/a", "example.com", 200, null, "/a/v2");

        Assert.Equal(["/a", "/a/v2"], keys);
    }

    [Theory]
    [InlineData("http://other.example/b")]
    [InlineData("http://example.com:8080/b")]
    [InlineData("//evil.example/b")]
    public void KeysToInvalidate_OtherOrigin_Ignored(string location)
    {
        // RFC 9111 §4.4: never invalidate a URI of another origin.
        Assert.Equal(["/a"], UnsafeMethodRule.KeysToInvalidate("POST", "/a", "example.com", 200, location, location));
    }

    [Fact]
    public void KeysToInvalidate_LocationEqualsTarget_NotDuplicated()
    {
        Assert.Equal(["/a"], UnsafeMethodRule.KeysToInvalidate("POST", "/a", "example.com", 200, "/a", "http://example.com/a"));
    }

    [Fact]
    public void KeysToInvalidate_AuthorityWithPort_SamePortMatches()
    {
        var keys = UnsafeMethodRule.KeysToInvalidate("POST", "/a", "example.com:8080", 200, "http://example.com:8080/b", null);

        Assert.Equal(["/a", "/b"], keys);
    }
}
