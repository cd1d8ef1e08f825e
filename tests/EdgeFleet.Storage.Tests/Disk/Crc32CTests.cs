using System.Text;
using EdgeFleet.Storage.Disk;

namespace EdgeFleet.Storage.Tests.Disk;

public sealed class Crc32CTests
{
    [Fact]
    public void Compute_StandardCheckString_IsTheCastagnoliCheckValue()
    {
        // The check value of CRC-32C for "123456789" (RFC 3720, appendix B.4 test vectors agree).
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Append_InPieces_EqualsSoftwareChecksumOfTheWhole()
    {
        var data = new byte[100_003];
        new Random(7).NextBytes(data);
        var state = ~0u;
        for (var i = 0; i < data.Length; i += 4093)
        {
            state = Crc32C.Append(state, data.AsSpan(i, Math.Min(4093, data.Length - i)));
        }

        Assert.Equal(Crc32C.ComputeInSoftware(data), ~state);
        Assert.Equal(Crc32C.ComputeInSoftware(data), Crc32C.Compute(data));
    }
}
