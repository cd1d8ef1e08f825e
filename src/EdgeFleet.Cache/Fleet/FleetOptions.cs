namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// The fleet settings of a cache pod, bound from the same section as <see cref="CacheServerOptions"/>
/// (<c>EdgeFleet</c>), with the key names the operator renders.
/// </summary>
public sealed class FleetOptions
{
    public const string EdgeRole = "edge";
    public const string ShieldRole = "shield";

    /// <summary><c>edge</c> (default) or <c>shield</c>; command line <c>--role</c>.</summary>
    public string Role { get; set; } = EdgeRole;

    /// <summary>Edge role: the shields' public base URLs, used for fills and revalidations.</summary>
    public List<string> Shields { get; set; } = [];

    /// <summary>
    /// Edge role: the shields' admin base URLs, in the order of <see cref="Shields"/>. When empty,
    /// each shield's admin URL is its public URL with port 8081 (the pod layout).
    /// </summary>
    public List<string> ShieldAdmin { get; set; } = [];

    /// <summary>Shield role: the other shields' admin base URLs, to which a fleet-wide invalidation is forwarded.</summary>
    public List<string> Peers { get; set; } = [];

    /// <summary>Shield role: edges' admin base URLs known before they register (optional).</summary>
    public List<string> Edges { get; set; } = [];

    /// <summary>How long a lease lasts.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Edge role: how long a shield may take to send response headers before it is skipped.</summary>
    public TimeSpan ShieldTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Edge role: how long a shield that failed is skipped before it is tried again.</summary>
    public TimeSpan ShieldDownFor { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Edge role: fill from the origin directly when every shield is down.</summary>
    public bool FallbackToOrigin { get; set; } = true;

    /// <summary>The URL at which shields reach this pod's admin port; by default the admin listener's.</summary>
    public string? NotifyUrl { get; set; }

    /// <summary>
    /// Where the pod keeps its small fleet state across restarts (an edge: the last acknowledged
    /// sequence per shield; a shield: the edges that registered). None: nothing is kept.
    /// </summary>
    public string? StateDirectory { get; set; }

    public NoticeOptions Notices { get; set; } = new();

    public AdaptivePollingOptions AdaptivePolling { get; set; } = new();

    /// <summary>Shield role: a file holding the bearer credential of origin notifications.</summary>
    public string? OriginNotificationTokenFile { get; set; }

    internal bool IsShield => string.Equals(Role, ShieldRole, StringComparison.OrdinalIgnoreCase);

    internal bool UsesShields => !IsShield && Shields.Count > 0;
}
