using EdgeFleet.Storage.Eviction;

namespace EdgeFleet.Storage.Tests.Eviction;

public sealed class CompactIndexTests
{
    [Fact]
    public void Set_ManyKeysWithRemovals_AgreesWithADictionary()
    {
        var index = new CompactIndex();
        var reference = new Dictionary<ulong, int>();
        var random = new Random(3);
        for (var i = 0; i < 200_000; i++)
        {
            // Small key space so that keys come back after removal and slots are reused.
            var key = (ulong)random.Next(5000) * 0x10001UL;
            if (random.Next(3) == 0)
            {
                Assert.Equal(reference.Remove(key, out var expected), index.TryRemove(key, out var removed));
                Assert.Equal(expected, removed);
            }
            else
            {
                reference[key] = i;
                index[key] = i;
            }
        }

        Assert.Equal(reference.Count, index.Count);
        foreach (var (key, value) in reference)
        {
            Assert.True(index.TryGetValue(key, out var found));
            Assert.Equal(value, found);
        }

        Assert.False(index.ContainsKey(12345));
    }

    [Fact]
    public void Set_TheSlotMarkerKeys_AreStoredLikeAnyOther()
    {
        var index = new CompactIndex();
        index[0] = 7;
        index[ulong.MaxValue] = 9;

        Assert.True(index.TryGetValue(0, out var zero));
        Assert.Equal(7, zero);
        Assert.True(index.TryGetValue(ulong.MaxValue, out var max));
        Assert.Equal(9, max);
        Assert.Equal(2, index.Count);
        Assert.True(index.TryRemove(0, out _));
        Assert.False(index.ContainsKey(0));
        Assert.True(index.ContainsKey(ulong.MaxValue));
    }
}
