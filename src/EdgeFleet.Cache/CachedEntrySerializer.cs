using System.Buffers.Binary;
using System.Text;
using EdgeFleet.Http;

namespace EdgeFleet.Cache;

/// <summary>
/// The metadata format of stored objects: a kind byte, then for a response its status, request
/// and response times and header fields; for a Vary marker the field names. Length-prefixed
/// UTF-8 strings, little-endian integers. Versioned by the kind byte.
/// </summary>
internal static class CachedEntrySerializer
{
    private const byte ResponseKind = (byte)'R';
    private const byte VaryMarkerKind = (byte)'V';

    public static byte[] Serialize(CachedEntry entry)
    {
        var buffer = new List<byte>(512);
        if (entry.Head is { } head)
        {
            buffer.Add(ResponseKind);
            WriteInt(buffer, head.StatusCode);
            WriteLong(buffer, head.RequestTime.UtcTicks);
            WriteLong(buffer, head.ResponseTime.UtcTicks);
            WriteInt(buffer, head.Headers.Count);
            foreach (var (name, values) in head.Headers)
            {
                WriteString(buffer, name);
                WriteInt(buffer, values.Length);
                foreach (var value in values)
                {
                    WriteString(buffer, value);
                }
            }
        }
        else
        {
            buffer.Add(VaryMarkerKind);
            WriteInt(buffer, entry.VaryNames.Count);
            foreach (var name in entry.VaryNames)
            {
                WriteString(buffer, name);
            }
        }

        return [.. buffer];
    }

    public static CachedEntry Deserialize(ReadOnlySpan<byte> data)
    {
        var kind = data[0];
        data = data[1..];
        if (kind == VaryMarkerKind)
        {
            var count = ReadInt(ref data);
            var names = new string[count];
            for (var i = 0; i < count; i++)
            {
                names[i] = ReadString(ref data);
            }

            return CachedEntry.ForVaryMarker(names);
        }

        if (kind != ResponseKind)
        {
            throw new InvalidDataException($"unknown stored entry kind {kind}");
        }

        var status = ReadInt(ref data);
        var requestTime = new DateTimeOffset(ReadLong(ref data), TimeSpan.Zero);
        var responseTime = new DateTimeOffset(ReadLong(ref data), TimeSpan.Zero);
        var fieldCount = ReadInt(ref data);
        var headers = new HeaderFields();
        for (var i = 0; i < fieldCount; i++)
        {
            var name = ReadString(ref data);
            var valueCount = ReadInt(ref data);
            var values = new string[valueCount];
            for (var j = 0; j < valueCount; j++)
            {
                values[j] = ReadString(ref data);
            }

            headers.Append(name, values);
        }

        return CachedEntry.ForResponse(new ResponseHead(status, headers, requestTime, responseTime));
    }

    private static void WriteInt(List<byte> buffer, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        buffer.AddRange(bytes);
    }

    private static void WriteLong(List<byte> buffer, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        buffer.AddRange(bytes);
    }

    private static void WriteString(List<byte> buffer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        WriteInt(buffer, bytes.Length);
        buffer.AddRange(bytes);
    }

    private static int ReadInt(ref ReadOnlySpan<byte> data)
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(data);
        data = data[4..];
        return value;
    }

    private static long ReadLong(ref ReadOnlySpan<byte> data)
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(data);
        data = data[8..];
        return value;
    }

    private static string ReadString(ref ReadOnlySpan<byte> data)
    {
        var length = ReadInt(ref data);
        var value = Encoding.UTF8.GetString(data[..length]);
        data = data[length..];
        return value;
    }
}
