namespace EdgeFleet.Http.Tests;

/// <summary>Builds response heads at fixed instants, so no test reads the wall clock.</summary>
internal static class Heads
{
    /// <summary>The instant every test response is received at, unless a test says otherwise.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static string Date(DateTimeOffset value) => HttpDate.Format(value);

    /// <summary>A response received at <see cref="T0"/> after a zero-length round trip.</summary>
    public static ResponseHead Make(int status, params (string Name, string Value)[] fields) =>
        Make(status, T0, T0, fields);

    public static ResponseHead Make(int status, DateTimeOffset requestTime, DateTimeOffset responseTime, params (string Name, string Value)[] fields)
    {
        var headers = new HeaderFields();
        foreach (var (name, value) in fields)
        {
            headers.Append(name, value);
        }

        return new ResponseHead(status, headers, requestTime, responseTime);
    }

    /// <summary>A 200 with a Date of <see cref="T0"/> and the given Cache-Control.</summary>
    public static ResponseHead Ok(string cacheControl, params (string Name, string Value)[] fields) =>
        Make(200, [(HeaderNames.Date, Date(T0)), (HeaderNames.CacheControl, cacheControl), .. fields]);

    /// <summary>A lookup of request field lines, as the rules take them.</summary>
    public static Func<string, IEnumerable<string>> Request(params (string Name, string Value)[] fields) =>
        name => fields.Where(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).ToList();
}
