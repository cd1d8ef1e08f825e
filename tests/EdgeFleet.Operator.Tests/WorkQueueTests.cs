using EdgeFleet.Operator.Controllers;

namespace EdgeFleet.Operator.Tests;

public sealed class WorkQueueTests
{
    private static WorkQueue NewQueue() => new(TimeProvider.System, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(80));

    [Fact]
    public async Task Add_SameKeyTwice_HandedOutOnce()
    {
        using var queue = NewQueue();
        queue.Add("ns/a");
        queue.Add("ns/a");
        queue.Add("ns/b");

        Assert.Equal(2, queue.Depth);
        Assert.Equal("ns/a", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal("ns/b", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task Add_WhileProcessing_NotHandedToASecondWorkerButRequeuedOnDone()
    {
        using var queue = NewQueue();
        queue.Add("ns/a");
        var key = await queue.TakeAsync(CancellationToken.None);

        queue.Add("ns/a");

        Assert.Equal(0, queue.Depth);
        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.TakeAsync(soon.Token));
        queue.Done(key);
        Assert.Equal(1, queue.Depth);
        Assert.Equal("ns/a", await queue.TakeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AddAfter_KeyArrivesLaterAndQueueIsNotIdleMeanwhile()
    {
        using var queue = NewQueue();

        queue.AddAfter("ns/a", TimeSpan.FromMilliseconds(50));

        Assert.Equal(0, queue.Depth);
        Assert.False(queue.IsIdle);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal("ns/a", await queue.TakeAsync(bound.Token));
        queue.Done("ns/a");
        Assert.True(queue.IsIdle);
    }

    [Fact]
    public void Backoff_DoublesPerFailureUpToTheMaximum()
    {
        using var queue = NewQueue();

        Assert.Equal(
            [10, 20, 40, 80, 80],
            Enumerable.Range(1, 5).Select(n => (int)queue.Backoff(n).TotalMilliseconds));
    }

    [Fact]
    public async Task AddRateLimited_RetriesAfterBackoffAndForgetResets()
    {
        using var queue = NewQueue();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        queue.AddRateLimited("ns/a");
        queue.AddRateLimited("ns/a"); // the earlier pending add wins; one key comes out

        Assert.Equal("ns/a", await queue.TakeAsync(bound.Token));
        queue.Done("ns/a");
        queue.Forget("ns/a");
        queue.Add("ns/a");
        Assert.Equal("ns/a", await queue.TakeAsync(bound.Token));
    }
}
