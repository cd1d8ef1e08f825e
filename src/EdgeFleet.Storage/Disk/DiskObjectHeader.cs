using System.Buffers.Binary;
using System.Text;

namespace EdgeFleet.Storage.Disk;

/// <summary>
/// The head of an object file. A file is <c>header | body | trailer</c>:
/// <list type="bullet">
/// <item>header: magic <c>EFDO</c>, version, flags, header length, chunk size, body length, key
/// hash, a random nonce that tells two versions of one key apart, the soft-purge mark (ticks and
/// their complement), then the key, the metadata and the tags, and a CRC-32C of all of it but
/// the mark;</item>
/// <item>body: the bytes as stored;</item>
/// <item>trailer: one CRC-32C per body chunk (<see cref="ChunkSize"/> bytes), a CRC-32C over the
/// header's CRC and the chunk CRCs, and the magic <c>EFDE</c>.</item>
/// </list>
/// Every byte is thus covered by a checksum, and a range of the body is verified by reading just
/// its chunks. The purge mark is outside the header CRC so that it can be set in place with one
/// small write; its complement catches a damaged mark.
/// </summary>
internal sealed class DiskObjectHeader
{
    public const uint Magic = 0x4F444645; // "EFDO"
    public const uint TrailerMagic = 0x45444645; // "EFDE"
    public const ushort Version = 1;
    public const int MarkOffset = 40;
    public const int FixedLength = 68;

    /// <summary>Enough to parse the header of nearly every object in one read.</summary>
    public const int ProbeLength = 4096;

    private const int MaxHeaderLength = 16 * 1024 * 1024;
    private const ushort GroupedFlag = 1;

    public required ulong Hash { get; init; }

    public required ulong Nonce { get; init; }

    public required long BodyLength { get; init; }

    public required int ChunkSize { get; init; }

    public required int HeaderLength { get; init; }

    /// <summary>Set for keys the store keeps in memory (variants); see <see cref="DiskObjectStoreOptions.VariantSeparator"/>.</summary>
    public bool Grouped { get; init; }

    public uint HeaderCrc { get; init; }

    public string? Key { get; init; }

    public byte[]? Metadata { get; init; }

    public string[]? Tags { get; init; }

    public DateTimeOffset? InvalidatedAt { get; init; }

    public long ChunkCount => ChunkCountFor(BodyLength, ChunkSize);

    public long TrailerLength => TrailerLengthFor(BodyLength, ChunkSize);

    public long FileLength => HeaderLength + BodyLength + TrailerLength;

    public long TrailerOffset => HeaderLength + BodyLength;

    public static long ChunkCountFor(long bodyLength, int chunkSize) => (bodyLength + chunkSize - 1) / chunkSize;

    public static long TrailerLengthFor(long bodyLength, int chunkSize) => (4 * ChunkCountFor(bodyLength, chunkSize)) + 8;

    /// <summary>The length of the header for these fields, known before the body is.</summary>
    public static int LengthFor(string key, int metadataLength, IReadOnlyList<string> tags)
    {
        var length = FixedLength + Encoding.UTF8.GetByteCount(key) + metadataLength + 4;
        foreach (var tag in tags)
        {
            length += 2 + Encoding.UTF8.GetByteCount(tag);
        }

        return length;
    }

    /// <summary>Writes a complete header (with its CRC) into <paramref name="destination"/>; returns the CRC.</summary>
    public static uint Write(Span<byte> destination, string key, ulong hash, ulong nonce, ReadOnlySpan<byte> metadata, IReadOnlyList<string> tags, long bodyLength, int chunkSize, bool grouped)
    {
        var length = LengthFor(key, metadata.Length, tags);
        var span = destination[..length];
        span.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], grouped ? GroupedFlag : (ushort)0);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], length);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], chunkSize);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], bodyLength);
        BinaryPrimitives.WriteUInt64LittleEndian(span[24..], hash);
        BinaryPrimitives.WriteUInt64LittleEndian(span[32..], nonce);
        WriteMark(span[MarkOffset..], null);
        var keyLength = Encoding.UTF8.GetBytes(key, span[FixedLength..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[56..], keyLength);
        BinaryPrimitives.WriteInt32LittleEndian(span[60..], metadata.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[64..], tags.Count);
        var at = FixedLength + keyLength;
        metadata.CopyTo(span[at..]);
        at += metadata.Length;
        foreach (var tag in tags)
        {
            var n = Encoding.UTF8.GetBytes(tag, span[(at + 2)..]);
            BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)n);
            at += 2 + n;
        }

        var crc = Checksum(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], crc);
        return crc;
    }

    /// <summary>The 16 bytes of the purge mark: ticks and their complement (both zero for none).</summary>
    public static void WriteMark(Span<byte> destination, DateTimeOffset? at)
    {
        var ticks = at?.UtcTicks ?? 0;
        BinaryPrimitives.WriteInt64LittleEndian(destination, ticks);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], ticks == 0 ? 0 : ~ticks);
    }

    /// <summary>
    /// The header length a prefix of a file announces, or -1 when it is not an object file of
    /// this version.
    /// </summary>
    public static int AnnouncedLength(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length < FixedLength ||
            BinaryPrimitives.ReadUInt32LittleEndian(prefix) != Magic ||
            BinaryPrimitives.ReadUInt16LittleEndian(prefix[4..]) != Version)
        {
            return -1;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix[8..]);
        return length is >= FixedLength + 4 and <= MaxHeaderLength ? length : -1;
    }

    /// <summary>
    /// Parses and checks a whole header; null when it is damaged. With <paramref name="full"/>
    /// false the key, metadata and tags are not decoded (the start-up scan needs none of them).
    /// </summary>
    public static DiskObjectHeader? Parse(ReadOnlySpan<byte> header, bool full)
    {
        var length = AnnouncedLength(header);
        if (length < 0 || header.Length < length)
        {
            return null;
        }

        header = header[..length];
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[^4..]);
        if (Checksum(header) != crc)
        {
            return null;
        }

        var chunkSize = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        var bodyLength = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(header[56..]);
        var metadataLength = BinaryPrimitives.ReadInt32LittleEndian(header[60..]);
        var tagCount = BinaryPrimitives.ReadInt32LittleEndian(header[64..]);
        if (chunkSize <= 0 || bodyLength < 0 || keyLength < 0 || metadataLength < 0 || tagCount < 0 ||
            (long)FixedLength + keyLength + metadataLength + 4 > length)
        {
            return null;
        }

        var grouped = (BinaryPrimitives.ReadUInt16LittleEndian(header[6..]) & GroupedFlag) != 0;
        string? key = null;
        byte[]? metadata = null;
        string[]? tags = null;
        if (full || grouped)
        {
            key = Encoding.UTF8.GetString(header.Slice(FixedLength, keyLength));
        }

        if (full)
        {
            var at = FixedLength + keyLength;
            metadata = header.Slice(at, metadataLength).ToArray();
            at += metadataLength;
            tags = new string[tagCount];
            for (var i = 0; i < tagCount; i++)
            {
                if (at + 2 > length - 4)
                {
                    return null;
                }

                var n = BinaryPrimitives.ReadUInt16LittleEndian(header[at..]);
                if (at + 2 + n > length - 4)
                {
                    return null;
                }

                tags[i] = Encoding.UTF8.GetString(header.Slice(at + 2, n));
                at += 2 + n;
            }
        }

        return new DiskObjectHeader
        {
            Hash = BinaryPrimitives.ReadUInt64LittleEndian(header[24..]),
            Nonce = BinaryPrimitives.ReadUInt64LittleEndian(header[32..]),
            BodyLength = bodyLength,
            ChunkSize = chunkSize,
            HeaderLength = length,
            Grouped = grouped,
            HeaderCrc = crc,
            Key = key,
            Metadata = metadata,
            Tags = tags,
            InvalidatedAt = ReadMark(header[MarkOffset..]),
        };
    }

    public static ulong NonceOf(ReadOnlySpan<byte> prefix) => BinaryPrimitives.ReadUInt64LittleEndian(prefix[32..]);

    private static DateTimeOffset? ReadMark(ReadOnlySpan<byte> mark)
    {
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(mark);
        var check = BinaryPrimitives.ReadInt64LittleEndian(mark[8..]);
        if (ticks == 0 || check != ~ticks || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            // A damaged mark reads as "stale since ever": serving it revalidates, never wrongly fresh.
            return ticks == 0 && check == 0 ? null : DateTimeOffset.MinValue;
        }

        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    private static uint Checksum(ReadOnlySpan<byte> header)
    {
        var state = Crc32C.Append(~0u, header[..MarkOffset]);
        state = Crc32C.Append(state, header[(MarkOffset + 16)..^4]);
        return ~state;
    }
}
