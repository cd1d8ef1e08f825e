namespace EdgeFleet.Cache;

/// <summary>The body of <c>POST /admin/purge</c>: what to purge, and whether softly.</summary>
public sealed class PurgeRequest
{
    /// <summary>URLs or paths; every Vary variant of each is purged.</summary>
    public List<string> Urls { get; set; } = [];

    /// <summary>Path prefixes, such as <c>/images/</c>.</summary>
    public List<string> Prefixes { get; set; } = [];

    /// <summary>Surrogate-Key tags.</summary>
    public List<string> Tags { get; set; } = [];

    /// <summary>Mark stale (revalidate before reuse, still usable under stale-if-error) instead of removing.</summary>
    public bool Soft { get; set; }
}
