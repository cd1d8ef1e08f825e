using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>The origin's notification credential, read from <c>OriginNotificationTokenFile</c> (re-read when the file changes, as a mounted Secret does).</summary>
internal sealed class OriginNotificationToken(IOptions<FleetOptions> options)
{
    private string? _cached;
    private DateTime _readAt;

    public string? Value
    {
        get
        {
            if (options.Value.OriginNotificationTokenFile is not { Length: > 0 } file || !File.Exists(file))
            {
                return null;
            }

            var written = File.GetLastWriteTimeUtc(file);
            if (_cached is null || written != _readAt)
            {
                _cached = File.ReadAllText(file).Trim();
                _readAt = written;
            }

            return _cached;
        }
    }
}
