namespace EdgeFleet.Http.Tests;

public class HeaderFieldsTests
{
    [Fact]
    public void Indexer_DifferentCase_FindsField()
    {
        var fields = new HeaderFields();
        fields.Append("Cache-Control", "public");

        Assert.Equal(["public"], fields["cache-control"]);
        Assert.True(fields.Contains("CACHE-CONTROL"));
        Assert.Empty(fields["Vary"]);
    }

    [Fact]
    public void Append_SameNameTwice_KeepsOneEntryWithBothLines()
    {
        var fields = new HeaderFields();
        fields.Append("Vary", "Accept");
        fields.Append("vary", "Accept-Encoding");

        Assert.Equal(1, fields.Count);
        Assert.Equal("Accept, Accept-Encoding", fields.GetCombined("Vary"));
        Assert.Equal("Accept", fields.GetFirst("Vary"));
    }

    [Fact]
    public void Set_ExistingName_ReplacesLines()
    {
        var fields = new HeaderFields();
        fields.Append("ETag", "\"1\"");
        fields.Set("etag", "\"2\"");

        Assert.Equal(["\"2\""], fields["ETag"]);
    }

    [Fact]
    public void Clone_ThenChange_LeavesOriginal()
    {
        var fields = new HeaderFields();
        fields.Append("Age", "5");
        var copy = fields.Clone();
        copy.Remove("Age");

        Assert.True(fields.Contains("Age"));
        Assert.False(copy.Contains("Age"));
        Assert.False(copy.Remove("Age"));
    }

    [Fact]
    public void GetCombined_Absent_IsNull()
    {
        Assert.Null(new HeaderFields().GetCombined("Vary"));
        Assert.Null(new HeaderFields().GetFirst("Vary"));
    }
}
