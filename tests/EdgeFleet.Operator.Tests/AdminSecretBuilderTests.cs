using System.Security.Cryptography;
using System.Text;
using EdgeFleet.Operator.Builders;

namespace EdgeFleet.Operator.Tests;

public sealed class AdminSecretBuilderTests
{
    private sealed class CountingRandom : RandomNumberGenerator
    {
        public override void GetBytes(byte[] data)
        {
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = (byte)(i * 8);
            }
        }
    }

    [Fact]
    public void NewToken_InjectedRandom_Base64UrlOf32Bytes()
    {
        var token = AdminSecretBuilder.NewToken(new CountingRandom());

        Assert.Equal("AAgQGCAoMDhASFBYYGhweICIkJigqLC4wMjQ2ODo8Pg", token);
        Assert.Equal(43, token.Length);
        Assert.Matches("^[A-Za-z0-9_-]+$", token);
    }

    [Fact]
    public void NewToken_SystemRandom_DiffersEachTime()
    {
        using var random = RandomNumberGenerator.Create();

        Assert.NotEqual(AdminSecretBuilder.NewToken(random), AdminSecretBuilder.NewToken(random));
    }

    [Fact]
    public void Build_Token_StoredBase64UnderAdminTokenKey()
    {
        var secret = AdminSecretBuilder.Build(Fixtures.EdgeCache(), "s3cret");

        Assert.Equal("www-admin", secret["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("Opaque", secret["type"]!.GetValue<string>());
        Assert.Equal("s3cret", Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]!["admin-token"]!.GetValue<string>())));
        Assert.NotNull(secret["metadata"]!["ownerReferences"]);
    }
}
