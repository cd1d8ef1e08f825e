namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// Rendezvous (highest random weight) hashing: every key ranks the shields by a hash of the pair,
/// so adding or removing a shield moves only the keys it wins or won (about 1/N), and when the
/// first shield of a key is down the key goes to its second, which differs from key to key.
/// </summary>
internal static class Rendezvous
{
    /// <summary>The indexes of <paramref name="nodes"/> in the order <paramref name="key"/> prefers them.</summary>
    public static int[] Order(string key, IReadOnlyList<string> nodes)
    {
        var scores = new ulong[nodes.Count];
        var order = new int[nodes.Count];
        var keyHash = Hash(key, 0xcbf29ce484222325UL);
        for (var i = 0; i < nodes.Count; i++)
        {
            scores[i] = Mix(Hash(nodes[i], keyHash));
            order[i] = i;
        }

        Array.Sort(order, (a, b) => scores[b].CompareTo(scores[a]));
        return order;
    }

    private static ulong Hash(string text, ulong seed)
    {
        // FNV-1a over UTF-16 code units; Mix spreads its weak low bits before comparing.
        var h = seed;
        foreach (var c in text)
        {
            h ^= c;
            h *= 0x100000001b3UL;
        }

        return h;
    }

    private static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        x *= 0xc4ceb93fe51a87b9UL;
        x ^= x >> 33;
        return x;
    }
}
