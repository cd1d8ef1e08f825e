namespace EdgeFleet.Http;

/// <summary>A request's caching directives: <c>Cache-Control</c> and <c>Pragma</c> (RFC 9111 §5.2.1, §5.4).</summary>
public readonly record struct RequestDirectives(CacheControl CacheControl, bool PragmaNoCache)
{
    /// <summary>Parses a request's Cache-Control and Pragma field lines.</summary>
    public static RequestDirectives Parse(IEnumerable<string?> cacheControl, IEnumerable<string?> pragma)
    {
        var cc = CacheControl.Parse(cacheControl);

        // §5.4: Pragma: no-cache counts only when the request has no Cache-Control.
        var pragmaNoCache = false;
        if (!cc.IsPresent)
        {
            ArgumentNullException.ThrowIfNull(pragma);
            foreach (var line in pragma)
            {
                if (line is not null && line.Split(',').Any(p => p.Trim().Equals("no-cache", StringComparison.OrdinalIgnoreCase)))
                {
                    pragmaNoCache = true;
                }
            }
        }

        return new RequestDirectives(cc, pragmaNoCache);
    }

    /// <summary>The client asked the cache not to answer without going forward.</summary>
    public bool NoCache => CacheControl.NoCache || PragmaNoCache;
}
