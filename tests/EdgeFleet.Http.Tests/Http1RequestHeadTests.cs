using System.Text;

namespace EdgeFleet.Http.Tests;

public class Http1RequestHeadTests
{
    private static Http1RequestHead Parse(string head)
    {
        var parsed = new Http1RequestHead();
        parsed.Parse(Encoding.Latin1.GetBytes(head));
        return parsed;
    }

    [Fact]
    public void Parse_PlainGet_AnswerableWithTargetPartsAndFields()
    {
        var head = Parse("GET /img/a.png?w=100&h=50 HTTP/1.1\r\nHost: cdn.example\r\nAccept:  image/*  \r\nX-Empty:");

        Assert.Equal(RequestHeadKind.Answerable, head.Kind);
        Assert.Null(head.Reason);
        Assert.Equal("GET", head.Method);
        Assert.Equal("/img/a.png?w=100&h=50", head.Target);
        Assert.Equal("/img/a.png", head.Path);
        Assert.Equal("?w=100&h=50", head.Query);
        Assert.False(head.Close);
        Assert.Equal(
            [new("Host", "cdn.example"), new("Accept", "image/*"), new("X-Empty", "")],
            head.Fields);
    }

    [Fact]
    public void Parse_HeadWithConnectionClose_AnswerableAndClose()
    {
        var head = Parse("HEAD / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Close");

        Assert.Equal(RequestHeadKind.Answerable, head.Kind);
        Assert.Equal("HEAD", head.Method);
        Assert.True(head.Close);
    }

    [Fact]
    public void Parse_Reused_ForgetsThePreviousRequest()
    {
        var head = new Http1RequestHead();
        head.Parse("GET /a?x HTTP/1.1\r\nHost: a\r\nConnection: close\r\nX-One: 1"u8);
        head.Parse("GET /b HTTP/1.1\r\nHost: b"u8);

        Assert.Equal("/b", head.Target);
        Assert.Equal("", head.Query);
        Assert.False(head.Close);
        Assert.Single(head.Fields);
    }

    [Fact]
    public void Parse_RepeatedRequest_ReusesStringsOnlyWhereBytesAreEqual()
    {
        var head = new Http1RequestHead();
        head.Parse("GET /a?x HTTP/1.1\r\nHost: a\r\nAccept: */*"u8);
        var (target, path, query, host, accept) = (head.Target, head.Path, head.Query, head.Fields[0].Value, head.Fields[1].Key);

        head.Parse("GET /a?x HTTP/1.1\r\nHost: a\r\nAccept: */*"u8);
        Assert.Same(target, head.Target);
        Assert.Same(path, head.Path);
        Assert.Same(query, head.Query);
        Assert.Same(host, head.Fields[0].Value);
        Assert.Same(accept, head.Fields[1].Key);

        head.Parse("GET /a?y HTTP/1.1\r\nHost: b\r\nAccepT: */*"u8);
        Assert.Equal(("/a?y", "/a", "?y"), (head.Target, head.Path, head.Query));
        Assert.Equal("b", head.Fields[0].Value);
        Assert.Equal("AccepT", head.Fields[1].Key);

        // A bad head in between forgets nothing it should not keep, and remembers nothing wrong.
        head.Parse("G(T / HTTP/1.1\r\nHost: a"u8);
        Assert.Equal("", head.Target);
        head.Parse("GET /a?y HTTP/1.1\r\nHost: a"u8);
        Assert.Equal(("/a?y", "/a", "?y", "a"), (head.Target, head.Path, head.Query, head.Fields[0].Value));
        Assert.Single(head.Fields);
    }

    [Theory]
    [InlineData("POST /form HTTP/1.1\r\nHost: a", "a method other than GET and HEAD")]
    [InlineData("DELETE /x HTTP/1.1\r\nHost: a", "a method other than GET and HEAD")]
    [InlineData("GET http://a/x HTTP/1.1\r\nHost: a", "a request target not in origin form")]
    [InlineData("OPTIONS * HTTP/1.1\r\nHost: a", "a method other than GET and HEAD")]
    [InlineData("GET /a%20b HTTP/1.1\r\nHost: a", "a path with escapes, dot segments or a fragment")]
    [InlineData("GET /a/../b HTTP/1.1\r\nHost: a", "a path with escapes, dot segments or a fragment")]
    [InlineData("GET /a/. HTTP/1.1\r\nHost: a", "a path with escapes, dot segments or a fragment")]
    [InlineData("GET / HTTP/1.1", "not exactly one valid Host")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b", "not exactly one valid Host")]
    [InlineData("GET / HTTP/1.1\r\nHost: a b", "not exactly one valid Host")]
    [InlineData("GET / HTTP/1.1\r\nHost:", "not exactly one valid Host")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue", "Expect asks for more than a response")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade", "Upgrade asks for more than a response")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade", "Connection: upgrade")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\u00e9", "a field value with octets above 0x7F")]
    public void Parse_WellFramedButNotPlain_Bodyless(string text, string reason)
    {
        var head = Parse(text);

        Assert.Equal(RequestHeadKind.Bodyless, head.Kind);
        Assert.Equal(reason, head.Reason);
    }

    [Fact]
    public void Parse_TooManyFields_Bodyless()
    {
        var text = "GET / HTTP/1.1\r\nHost: a" + string.Concat(Enumerable.Range(0, Http1RequestHead.MaxFields).Select(i => $"\r\nX-{i}: {i}"));

        var head = Parse(text);

        Assert.Equal(RequestHeadKind.Bodyless, head.Kind);
        Assert.Equal("too many field lines", head.Reason);
    }

    [Theory]
    // A body, or a doubt about where the message ends: never framed by the fast path.
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5", "the message has a body")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\ncontent-length: 0", "the message has a body")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked", "the message has a body")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n folded", "obsolete line folding or a bare line break")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\nContent-Length: 5", "obsolete line folding or a bare line break")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\nContent-Length: 5", "obsolete line folding or a bare line break")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\rb", "obsolete line folding or a bare line break")]
    [InlineData("GET / HTTP/1.1\r\nHost : a", "a field line without a valid name")]
    [InlineData("GET / HTTP/1.1\r\n: a", "a field line without a valid name")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u0000b", "a control character in a field value")]
    [InlineData("GET / HTTP/1.0\r\nHost: a", "not HTTP/1.1")]
    [InlineData("GET / HTTP/2.0\r\nHost: a", "not HTTP/1.1")]
    [InlineData("GET /\u00e9 HTTP/1.1\r\nHost: a", "a request target with characters outside visible ASCII")]
    [InlineData("GET  / HTTP/1.1\r\nHost: a", "a request line without a target and version")]
    [InlineData("G(T / HTTP/1.1\r\nHost: a", "a request line without a valid method")]
    [InlineData("\r\nGET / HTTP/1.1\r\nHost: a", "a request line without a valid method")]
    [InlineData("GET /", "a request line without a target and version")]
    public void Parse_BodyOrUnsureFraming_Opaque(string text, string reason)
    {
        var head = Parse(text);

        Assert.Equal(RequestHeadKind.Opaque, head.Kind);
        Assert.Equal(reason, head.Reason);
    }
}
