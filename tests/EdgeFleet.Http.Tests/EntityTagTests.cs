namespace EdgeFleet.Http.Tests;

public class EntityTagTests
{
    [Theory]
    [InlineData("\"abc\"", "abc", false)]
    [InlineData("W/\"abc\"", "abc", true)]
    [InlineData("\"\"", "", false)]
    [InlineData("  \"W/x\"  ", "W/x", false)]
    public void TryParse_ValidTags_Succeeds(string text, string tag, bool weak)
    {
        Assert.True(EntityTag.TryParse(text, out var parsed));
        Assert.Equal(new EntityTag(tag, weak), parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("abc")]
    [InlineData("\"abc")]
    [InlineData("w/\"abc\"")]
    [InlineData("\"a\"b\"")]
    [InlineData("W/")]
    public void TryParse_InvalidTags_Fails(string? text)
    {
        Assert.False(EntityTag.TryParse(text, out _));
    }

    [Theory]
    [InlineData("\"1\"", "\"1\"", true, true)]
    [InlineData("W/\"1\"", "W/\"1\"", false, true)]
    [InlineData("W/\"1\"", "\"1\"", false, true)]
    [InlineData("\"1\"", "\"2\"", false, false)]
    [InlineData("W/\"1\"", "W/\"2\"", false, false)]
    public void Compare_RfcExampleTable_Matches(string a, string b, bool strong, bool weak)
    {
        // RFC 9110 §8.8.3.2, the comparison table.
        Assert.True(EntityTag.TryParse(a, out var x));
        Assert.True(EntityTag.TryParse(b, out var y));

        Assert.Equal(strong, x.StrongEquals(y));
        Assert.Equal(weak, x.WeakEquals(y));
    }

    [Theory]
    [InlineData("abc", false, "\"abc\"")]
    [InlineData("abc", true, "W/\"abc\"")]
    public void ToString_FieldValueForm(string tag, bool weak, string expected)
    {
        Assert.Equal(expected, new EntityTag(tag, weak).ToString());
    }

    [Fact]
    public void TryParseList_SeveralLinesAndMembers_ReadsAll()
    {
        Assert.True(EntityTag.TryParseList(["\"a\", W/\"b\"", " \"c\""], out var tags, out var any));

        Assert.False(any);
        Assert.Equal([new("a", false), new("b", true), new("c", false)], tags);
    }

    [Fact]
    public void TryParseList_Star_SetsAny()
    {
        Assert.True(EntityTag.TryParseList(["*"], out var tags, out var any));

        Assert.True(any);
        Assert.Empty(tags);
    }

    [Theory]
    [InlineData("\"a\", b")]
    [InlineData("abc")]
    [InlineData("\"open")]
    [InlineData("")]
    [InlineData(" , ")]
    public void TryParseList_SyntaxError_Fails(string line)
    {
        Assert.False(EntityTag.TryParseList([line], out _, out _));
    }
}
