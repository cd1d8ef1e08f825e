using EdgeFleet.Storage.Eviction;

namespace EdgeFleet.Storage.Tests.Eviction;

public sealed class FrequencySketchTests
{
    [Fact]
    public void Estimate_KeysCountedDifferently_RanksThemInOrder()
    {
        var sketch = new FrequencySketch(1_024);
        for (var i = 0; i < 9; i++)
        {
            sketch.Increment(1);
        }

        for (var i = 0; i < 3; i++)
        {
            sketch.Increment(2);
        }

        Assert.Equal(9, sketch.Estimate(1));
        Assert.Equal(3, sketch.Estimate(2));
        Assert.Equal(0, sketch.Estimate(3));
    }

    [Fact]
    public void Grow_CountedKeys_KeepTheirEstimatesInTwiceTheKeys()
    {
        var sketch = new FrequencySketch(64, 64);
        for (ulong key = 0; key < 200; key++)
        {
            for (ulong i = 0; i <= key % 5; i++)
            {
                sketch.Increment(key);
            }
        }

        var grown = sketch.Grow();

        Assert.Equal(128, grown.ExpectedKeys);
        Assert.Equal(64, grown.CountersPerKey);
        Assert.All(Enumerable.Range(0, 200), key => Assert.Equal(sketch.Estimate((ulong)key), grown.Estimate((ulong)key)));
        Assert.Equal(1, sketch.Estimate(0));
        Assert.True(grown.Estimate(4) >= 5);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(24)]
    public void Constructor_CountersPerKeyNotAPowerOfTwoOfSixteenOrMore_Throws(int countersPerKey)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrequencySketch(1_024, countersPerKey));
    }

    [Fact]
    public void Estimate_WiderSketch_MistakesFewerUnseenKeysForSeenOnes()
    {
        var narrow = new FrequencySketch(256);
        var wide = new FrequencySketch(256, 64);
        for (ulong key = 0; key < 2_000; key++)
        {
            narrow.Increment(key);
            wide.Increment(key);
        }

        var unseen = Enumerable.Range(1_000_000, 10_000).Select(key => (ulong)key).ToList();
        var narrowMistakes = unseen.Count(key => narrow.Estimate(key) > 0);
        var wideMistakes = unseen.Count(key => wide.Estimate(key) > 0);

        Assert.True(wideMistakes < narrowMistakes / 2, $"wide {wideMistakes}, narrow {narrowMistakes}");
    }

    [Fact]
    public void Increment_ManyTimes_SaturatesAtFifteen()
    {
        var sketch = new FrequencySketch(1_024);
        for (var i = 0; i < 100; i++)
        {
            sketch.Increment(7);
        }

        Assert.Equal(15, sketch.Estimate(7));
    }

    [Fact]
    public void Age_AfterEnoughIncrements_HalvesTheCounts()
    {
        var sketch = new FrequencySketch(16);
        for (var i = 0; i < 8; i++)
        {
            sketch.Increment(5);
        }

        var key = 1_000UL;
        while (!sketch.NeedsAging)
        {
            sketch.Increment(key++);
        }

        var before = sketch.Estimate(5);
        sketch.Age();

        Assert.Equal(before / 2, sketch.Estimate(5));
        Assert.False(sketch.NeedsAging);
    }

    [Fact]
    public async Task Increment_FromManyThreads_LosesNoCount()
    {
        var sketch = new FrequencySketch(1_024);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 4; i++)
            {
                sketch.Increment(11);
            }
        })));

        Assert.Equal(12, sketch.Estimate(11));
    }
}
