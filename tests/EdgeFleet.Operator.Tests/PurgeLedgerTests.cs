using EdgeFleet.Operator.Reconcilers;

namespace EdgeFleet.Operator.Tests;

public sealed class PurgeLedgerTests
{
    [Fact]
    public void Purged_SameNameNewUid_StartsAfresh()
    {
        var ledger = new PurgeLedger();
        ledger.Record("uid-1", "default/purge-a", "www-edge-eu-0");

        Assert.Equal(["www-edge-eu-0"], ledger.Purged("uid-1"));
        Assert.Empty(ledger.Purged("uid-2"));
    }

    [Fact]
    public void Forget_Key_DropsOnlyThatInvalidation()
    {
        var ledger = new PurgeLedger();
        ledger.Record("uid-1", "default/purge-a", "www-edge-eu-0");
        ledger.Record("uid-2", "default/purge-b", "www-edge-eu-0");

        ledger.Forget("default/purge-a");

        Assert.Empty(ledger.Purged("uid-1"));
        Assert.Single(ledger.Purged("uid-2"));
    }

    [Fact]
    public void Purged_IsACopy_LaterRecordsDoNotChangeIt()
    {
        var ledger = new PurgeLedger();
        ledger.Record("uid-1", "default/purge-a", "www-edge-eu-0");
        var seen = ledger.Purged("uid-1");

        ledger.Record("uid-1", "default/purge-a", "www-edge-eu-1");

        Assert.Single(seen);
        Assert.Equal(2, ledger.Purged("uid-1").Count);
    }
}
