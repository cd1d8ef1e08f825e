namespace EdgeFleet.Http.Tests;

public class VaryRuleTests
{
    [Fact]
    public void ParseNames_MixedCaseAndDuplicates_LowerCasedDistinctInOrder()
    {
        var names = VaryRule.ParseNames(["Accept-Encoding, ACCEPT-LANGUAGE", " accept-encoding ,Origin"]);

        Assert.Equal(["accept-encoding", "accept-language", "origin"], names);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("Accept, *")]
    [InlineData("* , Origin")]
    public void ParseNames_Star_OnlyStar(string vary)
    {
        // RFC 9111 §4.1: Vary: * always fails to match.
        Assert.Equal([VaryRule.Any], VaryRule.ParseNames([vary]));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ,")]
    public void ParseNames_Empty_NoNames(string vary)
    {
        Assert.Empty(VaryRule.ParseNames([vary]));
    }

    [Fact]
    public void SecondaryKey_NoVary_Empty()
    {
        Assert.Equal(string.Empty, VaryRule.SecondaryKey([], Heads.Request(("Accept", "x"))));
    }

    [Fact]
    public void SecondaryKey_Star_Null()
    {
        Assert.Null(VaryRule.SecondaryKey([VaryRule.Any], Heads.Request()));
    }

    [Theory]
    [InlineData("gzip, br", "gzip,br")]
    [InlineData("gzip ,br", "gzip,  br")]
    [InlineData("gzip,br", " gzip , br ")]
    public void SecondaryKey_WhitespaceAroundCommas_Normalised(string a, string b)
    {
        // RFC 9111 §4.1: adding or removing whitespace where the field's syntax allows it.
        var names = new[] { "accept-encoding" };

        Assert.Equal(
            VaryRule.SecondaryKey(names, Heads.Request(("Accept-Encoding", a))),
            VaryRule.SecondaryKey(names, Heads.Request(("Accept-Encoding", b))));
    }

    [Fact]
    public void SecondaryKey_SplitOverLines_SameAsCombined()
    {
        // RFC 9111 §4.1: combining field lines with the same name.
        var names = new[] { "accept-encoding" };

        Assert.Equal(
            VaryRule.SecondaryKey(names, Heads.Request(("Accept-Encoding", "gzip, br"))),
            VaryRule.SecondaryKey(names, Heads.Request(("Accept-Encoding", "gzip"), ("Accept-Encoding", "br"))));
    }

    [Theory]
    [InlineData("gzip", "br")]
    [InlineData("gzip, br", "br, gzip")]
    [InlineData("en", "EN")]
    public void SecondaryKey_DifferentValues_Differ(string a, string b)
    {
        var names = new[] { "accept-encoding" };

        Assert.NotEqual(
            VaryRule.SecondaryKey(names, Heads.Request(("Accept-Encoding", a))),
            VaryRule.SecondaryKey(names, Heads.Request(("Accept-Encoding", b))));
    }

    [Fact]
    public void SecondaryKey_AbsentVersusEmpty_Differ()
    {
        // RFC 9111 §4.1: an absent field matches only another request where it is absent.
        var names = new[] { "origin" };

        Assert.NotEqual(
            VaryRule.SecondaryKey(names, Heads.Request()),
            VaryRule.SecondaryKey(names, Heads.Request(("Origin", ""))));
    }

    [Fact]
    public void SecondaryKey_AbsentTwice_Equal()
    {
        var names = new[] { "origin", "accept" };

        Assert.Equal(VaryRule.SecondaryKey(names, Heads.Request()), VaryRule.SecondaryKey(names, Heads.Request()));
    }

    [Fact]
    public void SecondaryKey_ValueInOtherField_Differs()
    {
        // The key must tell which field a value came from.
        var names = new[] { "accept", "origin" };

        Assert.NotEqual(
            VaryRule.SecondaryKey(names, Heads.Request(("Accept", "x"))),
            VaryRule.SecondaryKey(names, Heads.Request(("Origin", "x"))));
    }

    [Fact]
    public void SecondaryKey_RequestFieldNameCase_Irrelevant()
    {
        var names = VaryRule.ParseNames(["Accept-Language"]);

        Assert.Equal(
            VaryRule.SecondaryKey(names, Heads.Request(("accept-language", "de"))),
            VaryRule.SecondaryKey(names, Heads.Request(("ACCEPT-LANGUAGE", "de"))));
    }

    [Fact]
    public void ResponseHead_Vary_ParsedLowerCase()
    {
        Assert.Equal(["accept-encoding"], Heads.Make(200, (HeaderNames.Vary, "Accept-Encoding")).Vary);
    }
}
