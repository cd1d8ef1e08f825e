namespace EdgeFleet.Bench.Invalidation;

/// <summary>The figures of one scenario, as written to <c>artifacts/bench-invalidation.json</c>.</summary>
internal sealed class ScenarioResult
{
    public int Invalidations { get; set; }

    public int KeysPerInvalidation { get; set; }

    /// <summary>Time to completion as the shield reports it (from accepting to the last acknowledgement or lease expiry).</summary>
    public double P50Ms { get; set; }

    public double P99Ms { get; set; }

    /// <summary>The same over the invalidations that had at least one holder (the others complete at once).</summary>
    public double P50MsWithHolders { get; set; }

    public double P99MsWithHolders { get; set; }

    public int WithHolders { get; set; }

    /// <summary>Time from posting to seeing <c>complete</c>, as the client polling the status saw it.</summary>
    public double ClientP50Ms { get; set; }

    public double ClientP99Ms { get; set; }

    public double NoticesPerInvalidation { get; set; }

    /// <summary>What a broadcast to every edge would have sent: keys times edges.</summary>
    public double BroadcastNoticesPerInvalidation { get; set; }

    public double UpdateShare { get; set; }

    /// <summary>Edge fills an UPDATE made unnecessary (the edge already held the new version).</summary>
    public long EdgeFillsSavedByUpdates { get; set; }

    public long OriginRequests { get; set; }

    public long StaleReadsAfterCompletion { get; set; }

    public long ReadsAfterCompletion { get; set; }
}
