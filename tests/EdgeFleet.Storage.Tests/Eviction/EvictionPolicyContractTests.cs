using EdgeFleet.Storage.Eviction;

namespace EdgeFleet.Storage.Tests.Eviction;

/// <summary>The contract of <see cref="IEvictionPolicy"/>, run against every policy by the derived classes.</summary>
public abstract class EvictionPolicyContractTests
{
    protected abstract IEvictionPolicy Create(long capacity);

    /// <summary>Fills three slots with keys 1, 2, 3, hits key 1, adds key 4 and returns what left.</summary>
    protected List<ulong> EvictedAfterHittingTheOldest()
    {
        var policy = Create(3);
        var evicted = new List<ulong>();
        for (ulong key = 1; key <= 3; key++)
        {
            Assert.True(policy.TryInsert(key, 1, evicted));
        }

        policy.RecordHit(1);
        Assert.True(policy.TryInsert(4, 1, evicted));
        Assert.All(evicted, victim => Assert.False(policy.Contains(victim)));
        return evicted;
    }

    [Fact]
    public void TryInsert_RandomSizes_NeverExceedsCapacityAndReportsEveryVictim()
    {
        var policy = Create(1_000);
        var random = new Random(7);
        var model = new Dictionary<ulong, long>();
        var evicted = new List<ulong>();
        for (var i = 0; i < 20_000; i++)
        {
            var key = (ulong)random.Next(500);
            if (model.ContainsKey(key) && random.Next(2) == 0)
            {
                policy.RecordHit(key);
                continue;
            }

            var size = random.Next(1, 120);
            evicted.Clear();
            var admitted = policy.TryInsert(key, size, evicted);
            model.Remove(key);
            foreach (var victim in evicted)
            {
                Assert.True(model.Remove(victim), $"victim {victim} was not resident");
                Assert.False(policy.Contains(victim));
            }

            if (admitted)
            {
                model[key] = size;
            }

            Assert.Equal(admitted, policy.Contains(key));
            Assert.InRange(policy.Used, 0, policy.Capacity);
            Assert.Equal(model.Values.Sum(), policy.Used);
            Assert.Equal(model.Count, policy.Count);
        }
    }

    [Fact]
    public void TryInsert_FullCache_EvictsToMakeRoom()
    {
        var policy = Create(100);
        var evicted = new List<ulong>();
        for (ulong key = 0; key < 100; key++)
        {
            Assert.True(policy.TryInsert(key, 1, evicted));
        }

        Assert.Empty(evicted);
        Assert.True(policy.TryInsert(1000, 3, evicted));
        Assert.Equal(3, evicted.Count);
        Assert.Equal(100, policy.Used);
        Assert.All(evicted, victim => Assert.False(policy.Contains(victim)));
    }

    [Fact]
    public void TryInsert_LargerThanCapacity_IsRefusedAndDropsTheOldVersion()
    {
        var policy = Create(100);
        var evicted = new List<ulong>();
        Assert.True(policy.TryInsert(1, 10, evicted));

        Assert.False(policy.TryInsert(1, 101, evicted));
        Assert.False(policy.TryInsert(2, 101, evicted));

        Assert.False(policy.Contains(1));
        Assert.False(policy.Contains(2));
        Assert.Equal(0, policy.Used);
        Assert.Empty(evicted);
    }

    [Fact]
    public void TryInsert_ResidentKey_TakesTheNewSize()
    {
        var policy = Create(1_000);
        var evicted = new List<ulong>();
        Assert.True(policy.TryInsert(1, 10, evicted));
        Assert.True(policy.TryInsert(2, 5, evicted));

        Assert.True(policy.TryInsert(1, 30, evicted));
        Assert.Equal(35, policy.Used);
        Assert.Equal(2, policy.Count);

        Assert.True(policy.TryInsert(1, 4, evicted));
        Assert.Equal(9, policy.Used);
        Assert.Empty(evicted);
    }

    [Fact]
    public void Remove_ResidentKey_FreesItsBytes()
    {
        var policy = Create(100);
        var evicted = new List<ulong>();
        Assert.True(policy.TryInsert(1, 4, evicted));
        Assert.True(policy.TryInsert(2, 6, evicted));

        policy.Remove(1);
        policy.Remove(3);

        Assert.False(policy.Contains(1));
        Assert.True(policy.Contains(2));
        Assert.Equal(6, policy.Used);
        Assert.Equal(1, policy.Count);
        Assert.True(policy.TryInsert(4, 4, evicted));
        Assert.Empty(evicted);
    }

    [Fact]
    public void Remove_ManyKeysThenRefill_KeepsAccountsRight()
    {
        // Removed keys may linger inside a policy's queues; refilling must step over them.
        var policy = Create(50);
        var evicted = new List<ulong>();
        for (var round = 0; round < 20; round++)
        {
            for (ulong key = 0; key < 50; key++)
            {
                policy.TryInsert((ulong)round * 1000 + key, 1, evicted);
            }

            for (ulong key = 0; key < 50; key += 2)
            {
                policy.Remove((ulong)round * 1000 + key);
            }

            Assert.InRange(policy.Used, 0, 50);
            Assert.Equal(policy.Count, policy.Used);
        }
    }

    [Fact]
    public void RecordHit_UnknownKey_ChangesNothing()
    {
        var policy = Create(10);
        policy.RecordHit(42);

        Assert.False(policy.Contains(42));
        Assert.Equal(0, policy.Count);
        Assert.Equal(0, policy.Used);
    }

    [Fact]
    public void TryInsert_NegativeSize_Throws()
    {
        var policy = Create(10);
        Assert.Throws<ArgumentOutOfRangeException>(() => policy.TryInsert(1, -1, new List<ulong>()));
    }

    [Fact]
    public async Task RecordHit_FromManyThreadsDuringInsertsAndRemoves_KeepsAccountsRight()
    {
        const int Keys = 4_000;
        var policy = Create(3_000);
        static long SizeOf(ulong key) => 1 + (long)(key % 7);

        var writers = Enumerable.Range(0, 2).Select(writer => Task.Run(() =>
        {
            var random = new Random(100 + writer);
            var evicted = new List<ulong>();
            for (var i = 0; i < 60_000; i++)
            {
                var key = (ulong)random.Next(Keys);
                if (random.Next(10) == 0)
                {
                    policy.Remove(key);
                }
                else
                {
                    evicted.Clear();
                    policy.TryInsert(key, SizeOf(key), evicted);
                }
            }
        }));
        var readers = Enumerable.Range(0, 3).Select(reader => Task.Run(() =>
        {
            var random = new Random(200 + reader);
            for (var i = 0; i < 200_000; i++)
            {
                policy.RecordHit((ulong)random.Next(Keys));
            }
        }));
        await Task.WhenAll(writers.Concat(readers));

        var resident = Enumerable.Range(0, Keys).Select(k => (ulong)k).Where(policy.Contains).ToList();
        Assert.Equal(resident.Count, policy.Count);
        Assert.Equal(resident.Sum(SizeOf), policy.Used);
        Assert.InRange(policy.Used, 0, policy.Capacity);

        // The policy must still work after the storm: every key can be removed and refilled.
        resident.ForEach(policy.Remove);
        Assert.Equal(0, policy.Used);
        Assert.Equal(0, policy.Count);
        Assert.True(policy.TryInsert(1, 100, new List<ulong>()));
        Assert.Equal(100, policy.Used);
    }
}
