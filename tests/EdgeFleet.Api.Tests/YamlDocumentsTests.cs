using EdgeFleet.Api.Schema;

namespace EdgeFleet.Api.Tests;

public sealed class YamlDocumentsTests
{
    [Fact]
    public void Parse_PlainScalars_TypedByTheCoreSchema()
    {
        var doc = YamlDocuments.Parse("a: 3\nb: \"3\"\nc: true\nd: ~\ne:\nf: 1.5\ng: 2Gi\nh: 'true'\ni: -7\n").Single()!;

        Assert.Equal("""{"a":3,"b":"3","c":true,"d":null,"e":null,"f":1.5,"g":"2Gi","h":"true","i":-7}""", doc.ToJsonString());
    }

    [Fact]
    public void Parse_MultipleDocuments_ReturnsEach()
    {
        var docs = YamlDocuments.Parse("kind: A\n---\nkind: B\nlist: [1, x]\n");

        Assert.Equal(["""{"kind":"A"}""", """{"kind":"B","list":[1,"x"]}"""], docs.Select(d => d!.ToJsonString()));
    }
}
