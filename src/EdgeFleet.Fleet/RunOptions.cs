namespace EdgeFleet.Fleet;

/// <summary>The options of <c>EdgeFleet.Fleet run</c>.</summary>
internal sealed class RunOptions
{
    public int BasePort { get; set; } = 8000;

    public string LeaseDuration { get; set; } = "00:01:00";

    public string Artifacts { get; set; } = "artifacts";

    public string? AdminToken { get; set; }

    /// <summary>Extra arguments for every cache process (for example <c>--EdgeFleet:Notices:UpdateMinRequestsPerMinute=1</c>).</summary>
    public List<string> CacheArguments { get; set; } = [];

    /// <summary>Stop after this long (for scripts); none: until Ctrl-C or SIGTERM.</summary>
    public TimeSpan? Duration { get; set; }

    public bool Quiet { get; set; }
}
