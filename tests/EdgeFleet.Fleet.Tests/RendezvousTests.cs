using EdgeFleet.Cache.Fleet;

namespace EdgeFleet.Fleet.Tests;

public sealed class RendezvousTests
{
    [Fact]
    public void Order_SameKey_IsTheSameOnEveryCall()
    {
        string[] shields = ["http://s1:8080", "http://s2:8080", "http://s3:8080"];
        Assert.Equal(Rendezvous.Order("/a/b", shields), Rendezvous.Order("/a/b", shields));
        Assert.Equal(3, Rendezvous.Order("/a/b", shields).Distinct().Count());
    }

    [Fact]
    public void Order_ShieldAdded_MovesAboutOneNthOfTheKeys()
    {
        string[] three = ["http://s1:8080", "http://s2:8080", "http://s3:8080"];
        string[] four = [.. three, "http://s4:8080"];
        var keys = Enumerable.Range(0, 20_000).Select(i => $"/objects/{i}").ToList();

        var moved = keys.Count(k => three[Rendezvous.Order(k, three)[0]] != four[Rendezvous.Order(k, four)[0]]);
        var movedElsewhere = keys.Count(k => three[Rendezvous.Order(k, three)[0]] != four[Rendezvous.Order(k, four)[0]] && four[Rendezvous.Order(k, four)[0]] != "http://s4:8080");

        // A quarter of the keys go to the new shield, and only to it.
        Assert.InRange(moved, 20_000 * 0.22, 20_000 * 0.28);
        Assert.Equal(0, movedElsewhere);
    }

    [Fact]
    public void Order_FirstShieldRemoved_ItsKeysSpreadOverTheOthers()
    {
        string[] three = ["http://s1:8080", "http://s2:8080", "http://s3:8080"];
        var keys = Enumerable.Range(0, 9_000).Select(i => $"/objects/{i}").ToList();
        var ofFirst = keys.Where(k => Rendezvous.Order(k, three)[0] == 0).ToList();
        var second = ofFirst.Select(k => Rendezvous.Order(k, three)[1]).ToList();

        Assert.InRange(ofFirst.Count, 2_700, 3_300);
        Assert.InRange(second.Count(s => s == 1), ofFirst.Count * 0.4, ofFirst.Count * 0.6);
        Assert.DoesNotContain(0, second);
    }
}
