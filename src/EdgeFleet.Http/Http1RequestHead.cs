using System.Buffers;
using System.Text;

namespace EdgeFleet.Http;

/// <summary>
/// A strict reader of HTTP/1.1 request heads (RFC 9112 §3 and §5) for a fast path in front of a
/// general server: it takes only what it is sure of and classifies everything else
/// (<see cref="RequestHeadKind"/>) so that the general server sees it unchanged. It never decides
/// that a message has no body when it might have one: any Content-Length or Transfer-Encoding
/// field, any doubt about line endings, makes the head <see cref="RequestHeadKind.Opaque"/>.
/// One instance is reused for the requests of a connection.
/// </summary>
public sealed class Http1RequestHead
{
    /// <summary>More field lines than this: the general server answers (431).</summary>
    public const int MaxFields = 100;

    private static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    // RFC 3986 host: reg-name, IP literal in brackets, and a port.
    private static readonly SearchValues<byte> HostBytes =
        SearchValues.Create("!$&'()*+,;=-._~%:[]0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>How the head may be handled; the other members are meaningful for <see cref="RequestHeadKind.Answerable"/>.</summary>
    public RequestHeadKind Kind { get; private set; }

    /// <summary>Why the head is not answerable (for logs and tests); null when it is.</summary>
    public string? Reason { get; private set; }

    /// <summary><c>GET</c> or <c>HEAD</c> (the shared strings, so comparisons are cheap).</summary>
    public string Method { get; private set; } = "";

    /// <summary>The request target as sent, in origin form.</summary>
    public string Target { get; private set; } = "";

    /// <summary>The path part of the target (no escapes, no dot segments in an answerable head).</summary>
    public string Path { get; private set; } = "";

    /// <summary>The query part of the target with its <c>?</c>, or empty.</summary>
    public string Query { get; private set; } = "";

    /// <summary>Whether the client asked to close the connection after the response (<c>Connection: close</c>).</summary>
    public bool Close { get; private set; }

    /// <summary>The field lines in order, names as sent, values without surrounding whitespace.</summary>
    public List<KeyValuePair<string, string>> Fields { get; private set; } = [];

    // The previous request's fields: a client repeats most of its fields and its target on every
    // request of a connection, and their strings are reused when the bytes are the same, so a
    // repeated request allocates no strings.
    private List<KeyValuePair<string, string>> _previous = [];
    private (string Target, string Path, string Query) _previousTarget = ("", "", "");

    /// <summary>
    /// Reads a head: the request line and field lines, separated by CRLF, without the empty line
    /// that ends the head.
    /// </summary>
    public void Parse(ReadOnlySpan<byte> head)
    {
        (_previous, Fields) = (Fields, _previous);
        Fields.Clear();
        if (Target.Length > 0)
        {
            _previousTarget = (Target, Path, Query);
        }

        Close = false;
        Reason = null;
        Method = Target = Path = Query = "";
        Kind = ParseHead(head);
    }

    private RequestHeadKind ParseHead(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = lineEnd < 0 ? head : head[..lineEnd];
        var rest = lineEnd < 0 ? [] : head[(lineEnd + 2)..];

        var kind = ParseRequestLine(requestLine);
        if (kind == RequestHeadKind.Opaque)
        {
            return kind;
        }

        var hosts = 0;
        var hostValid = true;
        var hasLine = lineEnd >= 0;
        while (hasLine)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            hasLine = end >= 0;
            rest = end < 0 ? [] : rest[(end + 2)..];

            // A bare CR or LF inside a line, or obsolete folding: where this message ends is a
            // matter of interpretation (RFC 9112 §2.2, §5.2), so it is not ours to frame.
            if (line.IsEmpty || line[0] is (byte)' ' or (byte)'\t' || line.IndexOfAny((byte)'\r', (byte)'\n') >= 0)
            {
                return Opaque("obsolete line folding or a bare line break");
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[..colon].IndexOfAnyExcept(TokenBytes) >= 0)
            {
                return Opaque("a field line without a valid name");
            }

            var rawValue = line[(colon + 1)..].Trim(" \t"u8);
            foreach (var b in rawValue)
            {
                if ((b < 0x20 && b != '\t') || b == 0x7F)
                {
                    return Opaque("a control character in a field value");
                }
            }

            var index = Fields.Count;
            var repeated = index < _previous.Count && Ascii.Equals(line[..colon], _previous[index].Key);
            var name = repeated ? _previous[index].Key : Encoding.ASCII.GetString(line[..colon]);
            if (IsBodyFraming(name))
            {
                return Opaque("the message has a body");
            }

            if (Fields.Count == MaxFields)
            {
                kind = NotAnswerable(kind, "too many field lines");
                continue;
            }

            if (rawValue.IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0)
            {
                // obs-text: the general server decides how to read it.
                kind = NotAnswerable(kind, "a field value with octets above 0x7F");
            }

            // Compared as ASCII: a value with octets above 0x7F never matches and gets a string of its own.
            var value = repeated && Ascii.Equals(rawValue, _previous[index].Value) ? _previous[index].Value : Encoding.Latin1.GetString(rawValue);
            Fields.Add(new KeyValuePair<string, string>(name, value));
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                hosts++;
                hostValid &= rawValue.Length > 0 && rawValue.IndexOfAnyExcept(HostBytes) < 0;
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                kind = ReadConnection(value, kind);
            }
            else if (name.Equals("Expect", StringComparison.OrdinalIgnoreCase) || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase))
            {
                kind = NotAnswerable(kind, $"{name} asks for more than a response");
            }
        }

        // RFC 9112 §3.2: an HTTP/1.1 request carries exactly one valid Host.
        if (hosts != 1 || !hostValid)
        {
            kind = NotAnswerable(kind, "not exactly one valid Host");
        }

        return kind;
    }

    private RequestHeadKind ParseRequestLine(ReadOnlySpan<byte> line)
    {
        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0 || line[..firstSpace].IndexOfAnyExcept(TokenBytes) >= 0)
        {
            return Opaque("a request line without a valid method");
        }

        var afterMethod = line[(firstSpace + 1)..];
        var secondSpace = afterMethod.IndexOf((byte)' ');
        if (secondSpace <= 0)
        {
            return Opaque("a request line without a target and version");
        }

        var target = afterMethod[..secondSpace];
        var version = afterMethod[(secondSpace + 1)..];
        if (target.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0)
        {
            return Opaque("a request target with characters outside visible ASCII");
        }

        // HTTP/1.0 keeps or closes a connection by rules of its own; the general server applies them.
        if (!version.SequenceEqual("HTTP/1.1"u8))
        {
            return Opaque("not HTTP/1.1");
        }

        var kind = RequestHeadKind.Answerable;

        var method = line[..firstSpace];
        if (method.SequenceEqual("GET"u8))
        {
            Method = "GET";
        }
        else if (method.SequenceEqual("HEAD"u8))
        {
            Method = "HEAD";
        }
        else
        {
            kind = NotAnswerable(kind, "a method other than GET and HEAD");
        }

        if (target[0] != '/')
        {
            return NotAnswerable(kind, "a request target not in origin form");
        }

        if (Ascii.Equals(target, _previousTarget.Target))
        {
            (Target, Path, Query) = _previousTarget;
        }
        else
        {
            Target = Encoding.ASCII.GetString(target);
            var question = Target.IndexOf('?', StringComparison.Ordinal);
            Path = question < 0 ? Target : Target[..question];
            Query = question < 0 ? "" : Target[question..];
        }

        // The general server unescapes and normalises paths; a path that needs either is its.
        if (Path.Contains('%', StringComparison.Ordinal) || Path.Contains("/.", StringComparison.Ordinal) || Target.Contains('#', StringComparison.Ordinal))
        {
            kind = NotAnswerable(kind, "a path with escapes, dot segments or a fragment");
        }

        return kind;
    }

    private RequestHeadKind ReadConnection(string value, RequestHeadKind kind)
    {
        foreach (var range in value.AsSpan().Split(','))
        {
            var option = value.AsSpan()[range].Trim(" \t");
            if (option.Equals("close", StringComparison.OrdinalIgnoreCase))
            {
                Close = true;
            }
            else if (option.Equals("upgrade", StringComparison.OrdinalIgnoreCase))
            {
                kind = NotAnswerable(kind, "Connection: upgrade");
            }
        }

        return kind;
    }

    private static bool IsBodyFraming(string name) =>
        name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase);

    private RequestHeadKind NotAnswerable(RequestHeadKind kind, string reason)
    {
        if (kind == RequestHeadKind.Answerable)
        {
            Reason = reason;
        }

        return kind == RequestHeadKind.Opaque ? kind : RequestHeadKind.Bodyless;
    }

    private RequestHeadKind Opaque(string reason)
    {
        Reason = reason;
        return RequestHeadKind.Opaque;
    }
}
