namespace EdgeFleet.Http;

/// <summary>
/// Connection-specific fields that a proxy must not forward (RFC 9110 §7.6.1): the fixed list
/// plus every field the <c>Connection</c> field names.
/// </summary>
public static class HopByHop
{
    private static readonly HashSet<string> Fixed = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding",
        "Upgrade", "Proxy-Authenticate", "Proxy-Authorization",
    };

    /// <summary>Whether a field is hop-by-hop by definition.</summary>
    public static bool IsHopByHop(string name) => Fixed.Contains(name);

    /// <summary>The names listed in Connection field lines.</summary>
    public static HashSet<string> ConnectionOptions(IEnumerable<string?> connectionLines)
    {
        ArgumentNullException.ThrowIfNull(connectionLines);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in connectionLines)
        {
            if (line is null)
            {
                continue;
            }

            foreach (var part in line.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                names.Add(part);
            }
        }

        return names;
    }

    /// <summary>
    /// Whether one Connection field line carries the <c>close</c> option (RFC 9112 §9.6; options
    /// are case-insensitive, RFC 9110 §7.6.1), alone or among others. Allocates nothing: it runs
    /// on every response.
    /// </summary>
    public static bool HasClose(string? connectionLine)
    {
        var line = connectionLine.AsSpan();
        foreach (var range in line.Split(','))
        {
            if (line[range].Trim(" \t").Equals("close", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a field must be dropped, given the message's Connection options.</summary>
    public static bool ShouldDrop(string name, HashSet<string> connectionOptions)
    {
        ArgumentNullException.ThrowIfNull(connectionOptions);
        return Fixed.Contains(name) || connectionOptions.Contains(name);
    }
}
