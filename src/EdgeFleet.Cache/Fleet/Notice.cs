namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// One notice from a shield to an edge: INVALIDATE a key, or UPDATE it to a new version carried
/// in full (status, fields, body). <see cref="Seq"/> is the shield's sequence number of the
/// change; applying a notice whose sequence the edge already applied changes nothing.
/// </summary>
public sealed class Notice
{
    public const string InvalidateKind = "invalidate";
    public const string UpdateKind = "update";

    public long Seq { get; set; }

    public string Key { get; set; } = "";

    public string Kind { get; set; } = InvalidateKind;

    /// <summary>
    /// The id of the invalidation this notice carries out (the same on every shield it reached).
    /// An edge that stored the version an UPDATE of this change pushed skips an INVALIDATE of the
    /// same change from another shield: that one is meant for older versions.
    /// </summary>
    public string? Change { get; set; }

    /// <summary>INVALIDATE: mark stale instead of removing.</summary>
    public bool Soft { get; set; }

    /// <summary>UPDATE: the new version (ETag or Last-Modified).</summary>
    public string? Version { get; set; }

    /// <summary>UPDATE: when the lease on the new version ends (Unix milliseconds).</summary>
    public long LeaseExpires { get; set; }

    /// <summary>UPDATE: the response's status code.</summary>
    public int Status { get; set; }

    /// <summary>UPDATE: the response's fields, as name and value pairs.</summary>
    public List<string[]>? Headers { get; set; }

    /// <summary>UPDATE: the body, base64.</summary>
    public string? Body { get; set; }

    /// <summary>A copy without the body, as the notice log keeps it (an UPDATE missed is an INVALIDATE).</summary>
    public Notice ForLog() => new() { Seq = Seq, Key = Key, Change = Change, Kind = InvalidateKind, Soft = Soft };
}
