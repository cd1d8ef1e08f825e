namespace EdgeFleet.Cache;

/// <summary>
/// The cache server's configuration, section <c>EdgeFleet</c>: from appsettings, a JSON file given
/// with <c>--config</c>, <c>EDGEFLEET__*</c> environment variables and the command line
/// (<c>--origin</c>, <c>--listen</c>, <c>--admin-listen</c>, <c>--memory-size</c>, ...).
/// </summary>
public sealed class CacheServerOptions
{
    public const string Section = "EdgeFleet";

    /// <summary>The origin's base URL (http or https).</summary>
    public string? Origin { get; set; }

    /// <summary>The Host sent to the origin; by default the origin URL's authority.</summary>
    public string? OriginHost { get; set; }

    /// <summary>The public listener, for example <c>http://0.0.0.0:8080</c>.</summary>
    public string Listen { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The admin listener (metrics, health, purge): never the public port.</summary>
    public string AdminListen { get; set; } = "http://127.0.0.1:8081";

    /// <summary>The memory tier's budget.</summary>
    public string MemorySize { get; set; } = "256MiB";

    /// <summary>
    /// The largest object stored; larger ones are passed through. By default an eighth of the
    /// memory tier, or, with a disk tier, what the disk tier can hold (see <see cref="DiskSize"/>).
    /// </summary>
    public string? MaxObjectSize { get; set; }

    /// <summary>The disk tier's directory (the pod's NVMe volume); no disk tier when unset.</summary>
    public string? DiskPath { get; set; }

    /// <summary>The disk tier's budget in file bytes, never exceeded; required with <see cref="DiskPath"/>.</summary>
    public string? DiskSize { get; set; }

    /// <summary>The bearer credential the admin API requires for purges and notices.</summary>
    public string? AdminToken { get; set; }

    /// <summary>This cache's name in <c>Cache-Status</c> and <c>Via</c>.</summary>
    public string CacheName { get; set; } = "EdgeFleet";

    /// <summary>Freshness for heuristically cacheable responses without any freshness information.</summary>
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.Zero;

    /// <summary>Time to connect to the origin.</summary>
    public TimeSpan OriginConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time from sending a request to the origin until its response headers arrive.</summary>
    public TimeSpan OriginReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of an idempotent origin request that failed before a response arrived.</summary>
    public int OriginRetries { get; set; } = 2;

    /// <summary>
    /// How stale a stored response may be and still be served when the origin cannot be reached
    /// at all (never against must-revalidate, proxy-revalidate, s-maxage or no-cache). Zero
    /// turns this off; stale-if-error from the origin applies either way.
    /// </summary>
    public TimeSpan StaleIfDisconnected { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The eviction policy of the memory tier.</summary>
    public string EvictionPolicy { get; set; } = "default";

    /// <summary>Downstream Cache-Control rules by content type.</summary>
    public List<DownstreamRuleOptions> Downstream { get; set; } = [];

    /// <summary>The pod's region, shown in logs and metrics.</summary>
    public string? Region { get; set; }

    /// <summary>The DNS TTL the fleet publishes; the pod keeps serving this long after it leaves the answer.</summary>
    public int DnsTtlSeconds { get; set; } = 30;

    /// <summary>Extra time on top of the DNS TTL for resolvers that hold answers longer.</summary>
    public int ResolverSlackSeconds { get; set; } = 5;

    /// <summary>
    /// Whether the public listener answers plain GET and HEAD requests for stored objects on the
    /// connection itself, writing stored bytes straight to the socket; everything else is still
    /// Kestrel's. Off: every request goes through Kestrel.
    /// </summary>
    public bool DirectHits { get; set; } = true;

    /// <summary>
    /// The most bytes of a public connection's responses that wait unsent in the kernel, give or
    /// take one buffer (<c>TCP_NOTSENT_LOWAT</c>, Linux; see
    /// <see cref="Direct.SocketSender.LimitUnsentBytes"/> for what it trades). <c>0</c> leaves the
    /// kernel's own setting.
    /// </summary>
    public string UnsentLimit { get; set; } = "128KiB";

    /// <summary>
    /// How many event loops read the public listener's connections (<see cref="Transport.EventLoopTransport"/>):
    /// <c>auto</c>, one per core; <c>0</c>, Kestrel's socket transport instead. Used with direct
    /// hits on Linux (<see cref="IoThreads.UsesEventLoops"/>).
    /// </summary>
    public string EventLoops { get; set; } = "auto";

    /// <summary>TLS to an https origin.</summary>
    public OriginTlsOptions OriginTls { get; set; } = new();

    internal long MemoryBytes => ByteSize.TryParse(MemorySize, out var b) ? b : 0;

    internal long DiskBytes => ByteSize.TryParse(DiskSize, out var b) ? b : 0;

    internal bool HasDisk => !string.IsNullOrWhiteSpace(DiskPath);

    /// <summary>The largest object the memory tier keeps; larger ones live on disk only.</summary>
    internal long MemoryObjectBytes => Math.Max(1, MemoryBytes / 8);

    // With a disk tier, what its write reserve holds, less room for the file's header and trailer.
    internal long MaxObjectBytes =>
        MaxObjectSize is not null && ByteSize.TryParse(MaxObjectSize, out var b) ? b
        : HasDisk ? Math.Max(MemoryObjectBytes, EdgeFleet.Storage.Disk.DiskObjectStoreOptions.TempBudgetFor(DiskBytes) / 16 * 15)
        : MemoryObjectBytes;

    /// <summary>The number of event loops <see cref="EventLoops"/> asks for; -1 when it is not valid.</summary>
    internal int EventLoopCount =>
        string.Equals(EventLoops, "auto", StringComparison.OrdinalIgnoreCase) ? Environment.ProcessorCount
        : int.TryParse(EventLoops, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n <= MaxEventLoops ? n
        : -1;

    internal const int MaxEventLoops = 256;

    internal int UnsentLimitBytes => ByteSize.TryParse(UnsentLimit, out var b) && b <= int.MaxValue ? (int)b : 0;
}
