using System.Runtime.InteropServices;

namespace EdgeFleet.Storage;

/// <summary>
/// A stable 64-bit hash of a storage key (FNV-1a over the UTF-16 code units, then a SplitMix64
/// finaliser to spread the bits). Stable across processes, so on-disk indexes can use it;
/// eviction policies track keys by this hash to keep per-object memory small.
/// </summary>
public static class KeyHash
{
    public static ulong Of(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = 14695981039346656037UL;
        foreach (var unit in MemoryMarshal.Cast<char, ushort>(key.AsSpan()))
        {
            hash ^= unit;
            hash *= 1099511628211UL;
        }

        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebUL;
        hash ^= hash >> 31;
        return hash;
    }
}
