namespace EdgeFleet.Kubernetes;

/// <summary>
/// A bearer token, fixed or read from a file. A file token is re-read once its refresh interval
/// has passed, because projected service account tokens are rotated by the kubelet (the file
/// changes in place) and a long-running operator must not keep presenting an expired one.
/// </summary>
public sealed class BearerTokenSource
{
    private readonly string? _fixed;
    private readonly string? _path;
    private readonly TimeSpan _refresh;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private string? _cached;
    private DateTimeOffset _readAt;

    private BearerTokenSource(string? fixedToken, string? path, TimeSpan refresh, TimeProvider time)
    {
        _fixed = fixedToken;
        _path = path;
        _refresh = refresh;
        _time = time;
    }

    /// <summary>The file path for a file token; null for a fixed one.</summary>
    public string? FilePath => _path;

    public static BearerTokenSource FromToken(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        return new BearerTokenSource(token.Trim(), null, TimeSpan.Zero, TimeProvider.System);
    }

    /// <summary>A token read from <paramref name="path"/> now and again after <paramref name="refresh"/> (default one minute).</summary>
    public static BearerTokenSource FromFile(string path, TimeSpan? refresh = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var source = new BearerTokenSource(null, path, refresh ?? TimeSpan.FromMinutes(1), time ?? TimeProvider.System);
        _ = source.GetToken(); // fail at configuration time, not on the first request
        return source;
    }

    /// <summary>The current token.</summary>
    public string GetToken()
    {
        if (_fixed is not null)
        {
            return _fixed;
        }

        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (_cached is null || now - _readAt >= _refresh)
            {
                _cached = File.ReadAllText(_path!).Trim();
                _readAt = now;
            }

            return _cached;
        }
    }
}
