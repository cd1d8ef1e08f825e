namespace EdgeFleet.Http;

/// <summary>The outcome of <see cref="ReuseRule.Evaluate"/> with the figures it used.</summary>
public readonly record struct ReuseEvaluation(ReuseDecision Decision, TimeSpan Age, TimeSpan Lifetime, TimeSpan Staleness)
{
    /// <summary>Remaining freshness (negative once stale), as <c>Cache-Status</c>'s ttl reports it.</summary>
    public TimeSpan TimeToLive => Lifetime - Age;

    /// <summary>The decision allows answering from the cache without going forward first.</summary>
    public bool CanServe => Decision is ReuseDecision.Fresh or ReuseDecision.StaleAccepted or ReuseDecision.StaleWhileRevalidate;
}
