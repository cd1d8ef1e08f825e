using EdgeFleet.Http;

namespace EdgeFleet.Cache;

/// <summary>Turns an origin response's fields into a <see cref="ResponseHead"/> the cache rules read.</summary>
internal static class OriginResponse
{
    /// <summary>
    /// The end-to-end fields of <paramref name="response"/> (hop-by-hop ones dropped, RFC 9110
    /// §7.6.1), read without validation so that a malformed field from the origin is carried
    /// or ignored rather than thrown on.
    /// </summary>
    public static ResponseHead Head(HttpResponseMessage response, DateTimeOffset requestTime, DateTimeOffset responseTime, string via)
    {
        var fields = new HeaderFields();
        var connection = response.Headers.NonValidated.TryGetValues(HeaderNames.Connection, out var c)
            ? HopByHop.ConnectionOptions(c)
            : new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.NonValidated)
        {
            Add(fields, connection, name, values);
        }

        foreach (var (name, values) in response.Content.Headers.NonValidated)
        {
            Add(fields, connection, name, values);
        }

        fields.Append(HeaderNames.Via, via);
        return new ResponseHead((int)response.StatusCode, fields, requestTime, responseTime);
    }

    /// <summary>
    /// RFC 9112 §6.3: a response with an invalid Content-Length (not one non-negative integer, or
    /// differing values) has unrecoverable framing; a proxy must discard it and answer 502.
    /// </summary>
    public static bool HasInvalidFraming(HttpResponseMessage response)
    {
        if (!response.Content.Headers.NonValidated.TryGetValues(HeaderNames.ContentLength, out var values) ||
            response.Headers.NonValidated.Contains(HeaderNames.TransferEncoding))
        {
            return false;
        }

        string? first = null;
        foreach (var line in values)
        {
            foreach (var part in line.Split(','))
            {
                var value = part.Trim();
                if (value.Length == 0 || !value.All(char.IsAsciiDigit) || (first is not null && first != value))
                {
                    return true;
                }

                first = value;
            }
        }

        return false;
    }

    private static void Add(HeaderFields fields, HashSet<string> connection, string name, System.Net.Http.Headers.HeaderStringValues values)
    {
        if (HopByHop.ShouldDrop(name, connection))
        {
            return;
        }

        var list = new List<string>();
        foreach (var value in values)
        {
            // Field values with CR, LF or NUL could split the response we send; drop them.
            if (!value.AsSpan().ContainsAny('\r', '\n', '\0'))
            {
                list.Add(value);
            }
        }

        if (list.Count > 0)
        {
            fields.Append(name, [.. list]);
        }
    }
}
