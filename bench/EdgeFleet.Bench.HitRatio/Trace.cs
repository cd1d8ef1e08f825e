using System.Globalization;
using System.IO.Compression;

namespace EdgeFleet.Bench.HitRatio;

/// <summary>A request trace held in memory: one key and one size per request.</summary>
internal sealed class Trace
{
    private Trace(string name, ulong[] keys, long[] sizes, bool hasSizes)
    {
        Name = name;
        Keys = keys;
        Sizes = sizes;
        HasSizes = hasSizes;
        var unique = new Dictionary<ulong, long>();
        for (var i = 0; i < keys.Length; i++)
        {
            // An object's first size counts: the budget is a share of what the trace asks for.
            unique.TryAdd(keys[i], sizes[i]);
        }

        UniqueObjects = unique.Count;
        UniqueBytes = unique.Values.Sum();
    }

    /// <summary>The file name without directories and compression suffixes, for example <c>web07</c>.</summary>
    public string Name { get; }

    public ulong[] Keys { get; }

    public long[] Sizes { get; }

    /// <summary>Whether every line carried a size; otherwise every object weighs 1.</summary>
    public bool HasSizes { get; }

    public int UniqueObjects { get; }

    public long UniqueBytes { get; }

    /// <summary>Reads <c>&lt;key&gt; [&lt;size&gt;]</c> lines, gzip-compressed or not (told by the magic bytes).</summary>
    /// <param name="path">The trace file.</param>
    /// <param name="ignoreSizes">Weigh every object 1 even when the trace has sizes.</param>
    public static Trace Load(string path, bool ignoreSizes)
    {
        using var file = File.OpenRead(path);
        var magic = new byte[2];
        var gzip = file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        using Stream content = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(content);

        var keys = new List<ulong>();
        var sizes = new List<long>();
        var sized = 0;
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || fields[0].StartsWith('#'))
            {
                continue;
            }

            keys.Add(ParseKey(fields[0]));
            if (fields.Length > 1)
            {
                if (!long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
                {
                    throw new FormatException($"{path}:{lineNumber}: the size '{fields[1]}' is not a whole number of bytes.");
                }

                sizes.Add(size);
                sized++;
            }
            else
            {
                sizes.Add(1);
            }
        }

        if (keys.Count == 0)
        {
            throw new FormatException($"{path}: no requests.");
        }

        var hasSizes = sized == keys.Count && !ignoreSizes;
        var sizeArray = hasSizes ? sizes.ToArray() : Enumerable.Repeat(1L, keys.Count).ToArray();
        return new Trace(NameOf(path), [.. keys], sizeArray, hasSizes);
    }

    /// <summary>An integer key is itself; any other token gets a stable 64-bit FNV-1a hash.</summary>
    internal static ulong ParseKey(string token)
    {
        if (ulong.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var key))
        {
            return key;
        }

        var hash = 14695981039346656037UL;
        foreach (var c in token)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private static string NameOf(string path)
    {
        var name = Path.GetFileName(path);
        foreach (var suffix in new[] { ".gz", ".txt", ".trace" })
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                name = name[..^suffix.Length];
            }
        }

        return name;
    }
}
