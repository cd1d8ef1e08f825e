namespace EdgeFleet.Cache.Fleet;

/// <summary>One shield as an edge sees it: its URLs, and until when it is skipped after a failure.</summary>
internal sealed class ShieldEndpoint(string publicUrl, string adminUrl)
{
    private long _downUntilTicks;

    public string PublicUrl { get; } = publicUrl;

    public string AdminUrl { get; } = adminUrl;

    public bool IsUp(DateTimeOffset now) => now.UtcTicks >= Interlocked.Read(ref _downUntilTicks);

    public void MarkDown(DateTimeOffset until) => Interlocked.Exchange(ref _downUntilTicks, until.UtcTicks);

    public void MarkUp() => Interlocked.Exchange(ref _downUntilTicks, 0);
}
