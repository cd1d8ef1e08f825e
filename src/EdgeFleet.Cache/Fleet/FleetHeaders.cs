namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// The request and response fields edges and shields exchange. None is ever taken from a client
/// or shown to one: both roles drop them from client requests and from responses to clients.
/// </summary>
internal static class FleetHeaders
{
    public const string Prefix = "EdgeFleet-";

    /// <summary>Request, edge to shield: the edge's id.</summary>
    public const string Edge = "EdgeFleet-Edge";

    /// <summary>Request, edge to shield: the edge's admin URL, where notices go.</summary>
    public const string Notify = "EdgeFleet-Notify";

    /// <summary>Request, edge to shield: the fleet credential (the admin token).</summary>
    public const string Auth = "EdgeFleet-Auth";

    /// <summary>Response, shield to edge: <c>key="/a"; version="\"v1\""; expires=1700000000000; shield="s"; epoch="e"</c>.</summary>
    public const string Lease = "EdgeFleet-Lease";

    /// <summary>Admin request between shields: the invalidation was forwarded by a peer, with this id.</summary>
    public const string ForwardedInvalidation = "EdgeFleet-Invalidation-Id";

    public static bool IsFleetHeader(string name) => name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Removes every fleet field from a set of fields.</summary>
    public static void Strip(IHeaderDictionary headers)
    {
        // Runs on every request and response. The direct path's fields are a HeaderDictionary,
        // whose enumerator is a struct, so there this allocates nothing when there is nothing to
        // strip; through the interface (Kestrel's collections) the enumerator is boxed.
        List<string>? names = null;
        if (headers is HeaderDictionary fields)
        {
            foreach (var (name, _) in fields)
            {
                Collect(name, ref names);
            }
        }
        else
        {
            foreach (var (name, _) in headers)
            {
                Collect(name, ref names);
            }
        }

        if (names is null)
        {
            return;
        }

        foreach (var name in names)
        {
            headers.Remove(name);
        }

        static void Collect(string name, ref List<string>? names)
        {
            if (IsFleetHeader(name))
            {
                (names ??= []).Add(name);
            }
        }
    }

    /// <summary>Compares a credential with the expected one in constant time.</summary>
    public static bool CredentialMatches(string? given, string? expected)
    {
        if (string.IsNullOrEmpty(expected) || string.IsNullOrEmpty(given))
        {
            return false;
        }

        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(given), System.Text.Encoding.UTF8.GetBytes(expected));
    }
}
