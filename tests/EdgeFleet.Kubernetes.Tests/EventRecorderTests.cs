namespace EdgeFleet.Kubernetes.Tests;

public sealed class EventRecorderTests : ApiServerFixture
{
    [Fact]
    public async Task RecordAsync_Object_CreatesEventReferencingIt()
    {
        var cache = await Client.CreateAsync(ResourceType.EdgeCaches, EdgeCache("web"));
        var recorder = new EventRecorder(Client, "edgefleet-operator", "operator-0");

        var recorded = await recorder.RecordAsync(cache, EventRecorder.Warning, "OriginUnreachable", "origin web did not answer");

        Assert.True(recorded);
        var ev = Assert.Single(Server.List(ResourceType.Events));
        Assert.Equal(cache.Uid(), (string?)ev["involvedObject"]!["uid"]);
        Assert.Equal("EdgeCache", (string?)ev["involvedObject"]!["kind"]);
        Assert.Equal("OriginUnreachable", (string?)ev["reason"]);
        Assert.Equal("Warning", (string?)ev["type"]);
        Assert.Equal("edgefleet-operator", (string?)ev["source"]!["component"]);
        Assert.StartsWith("web.", ev.Name(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordAsync_Forbidden_ReportsFalseWithoutThrowing()
    {
        var cache = await Client.CreateAsync(ResourceType.EdgeCaches, EdgeCache("web"));
        Server.Authorize = r => r.Resource != "events";
        var recorder = new EventRecorder(Client, "edgefleet-operator");

        var recorded = await recorder.RecordAsync(cache, EventRecorder.Normal, "Synced", "ok");

        Assert.False(recorded);
        Assert.Empty(Server.List(ResourceType.Events));
    }
}
