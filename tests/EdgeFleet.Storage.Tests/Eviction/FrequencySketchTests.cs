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
