using EdgeFleet.Storage.Eviction;

namespace EdgeFleet.Storage.Tests.Eviction;

public sealed class HitBufferTests
{
    [Fact]
    public void Drain_AfterAdds_HandsOverEveryKeyInOrderOnce()
    {
        var buffer = new HitBuffer();
        for (ulong key = 1; key <= 100; key++)
        {
            Assert.True(buffer.TryAdd(key));
        }

        var drained = new List<ulong>();
        buffer.Drain(drained, (list, key) => list.Add(key));
        buffer.Drain(drained, (list, key) => list.Add(key));

        Assert.Equal(Enumerable.Range(1, 100).Select(key => (ulong)key), drained);
    }

    [Fact]
    public void TryAdd_FullRing_RefusesUntilDrained()
    {
        var buffer = new HitBuffer();
        var added = 0;
        while (buffer.TryAdd((ulong)added))
        {
            added++;
            Assert.InRange(added, 1, 1_000_000);
        }

        var drained = 0;
        buffer.Drain(0, (_, _) => drained++);

        Assert.Equal(added, drained);
        Assert.True(buffer.TryAdd(1));
    }

    [Fact]
    public async Task TryAdd_FromManyThreads_LosesNothingThatWasAccepted()
    {
        var buffer = new HitBuffer();
        var accepted = new long[4];
        var drained = new List<ulong>();
        var producers = Enumerable.Range(0, 4).Select(thread => Task.Run(() =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                if (buffer.TryAdd((ulong)((thread * 1_000_000) + i)))
                {
                    accepted[thread]++;
                }
            }
        })).ToArray();
        while (!producers.All(task => task.IsCompleted))
        {
            buffer.Drain(drained, (list, key) => list.Add(key));
        }

        await Task.WhenAll(producers);
        buffer.Drain(drained, (list, key) => list.Add(key));

        Assert.Equal(accepted.Sum(), drained.Count);
        Assert.Equal(drained.Count, drained.Distinct().Count());
    }
}
