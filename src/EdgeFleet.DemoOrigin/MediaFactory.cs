using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace EdgeFleet.DemoOrigin;

/// <summary>
/// Generates real media files for the demo, so it needs no downloads: PNG images (RFC 2083),
/// a WAV tone (PCM), and a short YUV4MPEG2 video that ffmpeg, mpv and VLC play.
/// </summary>
internal static class MediaFactory
{
    /// <summary>A <paramref name="width"/>×<paramref name="height"/> RGB gradient PNG.</summary>
    public static byte[] Png(int width, int height, byte red, byte green, byte blue)
    {
        var raw = new byte[height * ((width * 3) + 1)];
        var i = 0;
        for (var y = 0; y < height; y++)
        {
            raw[i++] = 0; // filter: none
            for (var x = 0; x < width; x++)
            {
                raw[i++] = (byte)(red * x / width);
                raw[i++] = (byte)(green * y / height);
                raw[i++] = (byte)(blue * (x + y) / (width + height));
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: truecolour
        Chunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                z.Write(raw);
            }

            Chunk(png, "IDAT", compressed.ToArray());
        }

        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A mono 16-bit PCM WAV of a sine tone.</summary>
    public static byte[] Wav(double seconds, double frequency, int sampleRate = 22050)
    {
        var samples = (int)(seconds * sampleRate);
        var data = new byte[samples * 2];
        for (var n = 0; n < samples; n++)
        {
            var value = (short)(Math.Sin(2 * Math.PI * frequency * n / sampleRate) * short.MaxValue * 0.3);
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(n * 2), value);
        }

        using var wav = new MemoryStream();
        using var w = new BinaryWriter(wav, Encoding.ASCII);
        w.Write("RIFF"u8);
        w.Write(36 + data.Length);
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)1); // PCM
        w.Write((short)1); // mono
        w.Write(sampleRate);
        w.Write(sampleRate * 2);
        w.Write((short)2);
        w.Write((short)16);
        w.Write("data"u8);
        w.Write(data.Length);
        w.Write(data);
        w.Flush();
        return wav.ToArray();
    }

    /// <summary>A YUV4MPEG2 clip: a bar sweeping across a gradient.</summary>
    public static byte[] Y4m(int width, int height, int frames, int fps)
    {
        using var video = new MemoryStream();
        video.Write(Encoding.ASCII.GetBytes($"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n"));
        var luma = new byte[width * height];
        var chroma = new byte[width / 2 * (height / 2)];
        for (var f = 0; f < frames; f++)
        {
            var bar = f * width / frames;
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    luma[(y * width) + x] = Math.Abs(x - bar) < 8 ? (byte)235 : (byte)(16 + (y * 200 / height));
                }
            }

            video.Write("FRAME\n"u8);
            video.Write(luma);
            Array.Fill(chroma, (byte)(128 + (f % 64)));
            video.Write(chroma);
            Array.Fill(chroma, (byte)(128 - (f % 64)));
            video.Write(chroma);
        }

        return video.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        Span<byte> sum = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(sum, ~Crc(Crc(0xFFFFFFFFu, typeBytes), data));
        png.Write(sum);
    }

    // The CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320), bit by bit: the demo's
    // images are small and generated once.
    private static uint Crc(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return crc;
    }
}
