using EdgeFleet.Cache.Fleet;
using EdgeFleet.Http;
using EdgeFleet.Storage;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Fleet.Tests;

public sealed class EdgeLeaseTableTests
{
    private readonly ManualClock _clock = new();
    private readonly EdgeLeaseTable _leases;

    public EdgeLeaseTableTests() =>
        _leases = new EdgeLeaseTable(Options.Create(new FleetOptions { Shields = ["http://shield:8080"] }), _clock);

    [Fact]
    public void Adjust_ValidLeaseOnStoredVersion_StaleObjectServedAsFresh()
    {
        _leases.Record("/a", new EdgeLease("\"v1\"", _clock.GetUtcNow().AddSeconds(30), "s"));

        var adjusted = _leases.Adjust("/a", Head("\"v1\""), Stored(), Evaluation(ReuseDecision.Revalidate));

        Assert.Equal(ReuseDecision.Fresh, adjusted.Decision);
        Assert.Equal(TimeSpan.FromSeconds(30), adjusted.TimeToLive);
    }

    [Fact]
    public void Adjust_LeaseOnAnotherVersion_NotFresh()
    {
        _leases.Record("/a", new EdgeLease("\"v2\"", _clock.GetUtcNow().AddSeconds(30), "s"));

        Assert.Equal(ReuseDecision.Revalidate, _leases.Adjust("/a", Head("\"v1\""), Stored(), Evaluation(ReuseDecision.Revalidate)).Decision);
    }

    [Fact]
    public void Adjust_LeaseExpired_HttpFreshObjectRevalidated()
    {
        _leases.Record("/a", new EdgeLease("\"v1\"", _clock.GetUtcNow().AddSeconds(30), "s"));
        _clock.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(ReuseDecision.Revalidate, _leases.Adjust("/a", Head("\"v1\""), Stored(), Evaluation(ReuseDecision.Fresh)).Decision);
    }

    [Fact]
    public void Adjust_SoftPurgedOrClientNoCache_LeaseIgnored()
    {
        _leases.Record("/a", new EdgeLease("\"v1\"", _clock.GetUtcNow().AddSeconds(30), "s"));

        Assert.Equal(ReuseDecision.Revalidate, _leases.Adjust("/a", Head("\"v1\""), Stored(_clock.GetUtcNow()), Evaluation(ReuseDecision.Revalidate)).Decision);
        Assert.Equal(ReuseDecision.RevalidateRequested, _leases.Adjust("/a", Head("\"v1\""), Stored(), Evaluation(ReuseDecision.RevalidateRequested)).Decision);
    }

    [Fact]
    public void Adjust_WithoutShields_EvaluationUnchanged()
    {
        var standalone = new EdgeLeaseTable(Options.Create(new FleetOptions()), _clock);

        Assert.Equal(ReuseDecision.Fresh, standalone.Adjust("/a", Head("\"v1\""), Stored(), Evaluation(ReuseDecision.Fresh)).Decision);
    }

    private ResponseHead Head(string etag)
    {
        var fields = new HeaderFields();
        fields.Append("ETag", etag);
        fields.Append("Cache-Control", "max-age=0");
        return new ResponseHead(200, fields, _clock.GetUtcNow(), _clock.GetUtcNow());
    }

    private static StoredObject Stored(DateTimeOffset? invalidatedAt = null) => new("/a", ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty, [], invalidatedAt);

    private static ReuseEvaluation Evaluation(ReuseDecision decision) => new(decision, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
}
