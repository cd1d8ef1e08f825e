namespace EdgeFleet.Http.Tests;

public class RangeRuleTests
{
    private static (RangeOutcome Outcome, IReadOnlyList<ByteRange> Ranges) Resolve(string? range, long length = 10000)
    {
        var outcome = RangeRule.Resolve(range, length, out var ranges);
        return (outcome, ranges);
    }

    [Theory]
    [InlineData("bytes=0-499", 0L, 499L)]
    [InlineData("bytes=500-999", 500L, 999L)]
    [InlineData("bytes=-500", 9500L, 9999L)]
    [InlineData("bytes=9500-", 9500L, 9999L)]
    [InlineData("bytes=0-0", 0L, 0L)]
    [InlineData("bytes=-1", 9999L, 9999L)]
    [InlineData("bytes=9000-20000", 9000L, 9999L)]
    [InlineData("bytes=-20000", 0L, 9999L)]
    [InlineData("Bytes=0-9", 0L, 9L)]
    [InlineData("bytes = 0 - 9 ", 0L, 9L)]
    [InlineData("bytes=0-9,", 0L, 9L)]
    public void Resolve_SingleRange_Partial(string range, long from, long to)
    {
        // RFC 9110 §14.1.2 examples with a 10000-byte representation.
        var (outcome, ranges) = Resolve(range);

        Assert.Equal(RangeOutcome.Partial, outcome);
        Assert.Equal([new ByteRange(from, to)], ranges);
    }

    [Fact]
    public void Resolve_TwoDisjointRanges_KeepsRequestOrder()
    {
        // RFC 9110 §14.6: parts are sent in the order the ranges were asked for.
        var (outcome, ranges) = Resolve("bytes=500-600, 0-100");

        Assert.Equal(RangeOutcome.Partial, outcome);
        Assert.Equal([new ByteRange(500, 600), new ByteRange(0, 100)], ranges);
    }

    [Fact]
    public void Resolve_FirstAndLastBytes_TwoRanges()
    {
        var (_, ranges) = Resolve("bytes=0-0,-1");

        Assert.Equal([new ByteRange(0, 0), new ByteRange(9999, 9999)], ranges);
    }

    [Theory]
    [InlineData("bytes=0-499, 400-999", 0L, 999L)]
    [InlineData("bytes=400-999, 0-499", 0L, 999L)]
    [InlineData("bytes=0-99, 100-199", 0L, 199L)]
    [InlineData("bytes=0-999, 100-199", 0L, 999L)]
    [InlineData("bytes=500-700, 601-999, 0-520", 0L, 999L)]
    [InlineData("bytes=9000-, -500", 9000L, 9999L)]
    public void Resolve_OverlappingRanges_Coalesced(string range, long from, long to)
    {
        var (outcome, ranges) = Resolve(range);

        Assert.Equal(RangeOutcome.Partial, outcome);
        Assert.Equal([new ByteRange(from, to)], ranges);
    }

    [Fact]
    public void Resolve_CoalescedAmongDisjoint_OrderOfFirstAppearance()
    {
        var (_, ranges) = Resolve("bytes=5000-5100, 0-10, 5050-5200");

        Assert.Equal([new ByteRange(5000, 5200), new ByteRange(0, 10)], ranges);
    }

    [Fact]
    public void Resolve_SomeRangesUnsatisfiable_PartialWithTheRest()
    {
        var (outcome, ranges) = Resolve("bytes=20000-30000, 0-9");

        Assert.Equal(RangeOutcome.Partial, outcome);
        Assert.Equal([new ByteRange(0, 9)], ranges);
    }

    [Theory]
    [InlineData("bytes=10000-")]
    [InlineData("bytes=10000-10001")]
    [InlineData("bytes=-0")]
    [InlineData("bytes=20000-, 30000-30001")]
    public void Resolve_NothingSatisfiable_NotSatisfiable(string range)
    {
        // RFC 9110 §14.1.1 and §15.5.17: 416 when no range overlaps the representation.
        Assert.Equal(RangeOutcome.NotSatisfiable, Resolve(range).Outcome);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bytes=")]
    [InlineData("bytes=,,")]
    [InlineData("bytes=abc")]
    [InlineData("bytes=5")]
    [InlineData("bytes=1-a")]
    [InlineData("bytes=a-1")]
    [InlineData("bytes=-a")]
    [InlineData("bytes=--5")]
    [InlineData("bytes=500-400")]
    [InlineData("bytes 0-1")]
    [InlineData("=0-1")]
    [InlineData("items=0-1")]
    [InlineData("none=0-1")]
    [InlineData("bytes=0-1, 5-4")]
    [InlineData("bytes=+1-2")]
    public void Resolve_SyntaxErrorsAndOtherUnits_Full(string? range)
    {
        // RFC 9110 §14.2: an invalid Range, or one with an unknown unit, is ignored.
        var (outcome, ranges) = Resolve(range);

        Assert.Equal(RangeOutcome.Full, outcome);
        Assert.Empty(ranges);
    }

    [Fact]
    public void Resolve_TooManyRanges_Full()
    {
        // RFC 9110 §14.2 allows ignoring abusive lists of ranges.
        var range = "bytes=" + string.Join(",", Enumerable.Range(0, RangeRule.MaxRanges + 1).Select(i => $"{i * 10}-{(i * 10) + 1}"));

        Assert.Equal(RangeOutcome.Full, Resolve(range).Outcome);
    }

    [Fact]
    public void Resolve_ExactlyMaxRanges_Partial()
    {
        var range = "bytes=" + string.Join(",", Enumerable.Range(0, RangeRule.MaxRanges).Select(i => $"{i * 10}-{(i * 10) + 1}"));
        var (outcome, ranges) = Resolve(range);

        Assert.Equal(RangeOutcome.Partial, outcome);
        Assert.Equal(RangeRule.MaxRanges, ranges.Count);
    }

    [Theory]
    [InlineData("bytes=0-99999999999999999999999", 0L, 9999L)]
    [InlineData("bytes=100-18446744073709551615", 100L, 9999L)]
    [InlineData("bytes=-99999999999999999999999", 0L, 9999L)]
    public void Resolve_HugeNumbers_ClampedToTheRepresentation(string range, long from, long to)
    {
        // RFC 9110 §14.1.1: large numerals must not overflow; they clamp to the length.
        var (outcome, ranges) = Resolve(range);

        Assert.Equal(RangeOutcome.Partial, outcome);
        Assert.Equal([new ByteRange(from, to)], ranges);
    }

    [Fact]
    public void Resolve_HugeFirstPosition_NotSatisfiable()
    {
        Assert.Equal(RangeOutcome.NotSatisfiable, Resolve("bytes=99999999999999999999999-").Outcome);
    }

    [Fact]
    public void Resolve_ZeroLengthRepresentationWithIntRange_NotSatisfiable()
    {
        Assert.Equal(RangeOutcome.NotSatisfiable, Resolve("bytes=0-10", 0).Outcome);
    }

    [Fact]
    public void Resolve_ZeroLengthRepresentationWithSuffixRange_Full()
    {
        // RFC 9110 §14.1.1: a non-zero suffix-range is satisfiable even for an empty
        // representation, so no 416; there are no bytes to send in a 206, so send it whole.
        Assert.Equal(RangeOutcome.Full, Resolve("bytes=-10", 0).Outcome);
    }

    [Fact]
    public void ByteRange_LengthAndContentRange()
    {
        var range = new ByteRange(500, 999);

        Assert.Equal(500, range.Length);
        Assert.Equal("bytes 500-999/10000", range.ContentRange(10000));
    }
}
