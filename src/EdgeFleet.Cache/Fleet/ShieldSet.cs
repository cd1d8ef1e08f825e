using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// The shields an edge fills through. A shield's admin URL is the matching entry of
/// <c>ShieldAdmin</c>, else its public URL with port 8081 (the pod layout: public 8080, admin 8081).
/// </summary>
internal sealed class ShieldSet
{
    public ShieldSet(IOptions<FleetOptions> options)
    {
        var o = options.Value;
        var shields = new List<ShieldEndpoint>();
        for (var i = 0; i < o.Shields.Count; i++)
        {
            var pub = o.Shields[i].TrimEnd('/');
            var admin = i < o.ShieldAdmin.Count ? o.ShieldAdmin[i].TrimEnd('/') : new UriBuilder(pub) { Port = 8081 }.Uri.GetLeftPart(UriPartial.Authority);
            shields.Add(new ShieldEndpoint(pub, admin));
        }

        All = shields;
        Names = shields.Select(s => s.PublicUrl).ToList();
    }

    public IReadOnlyList<ShieldEndpoint> All { get; }

    /// <summary>The names rendezvous hashing ranks: the public URLs, the same on every edge.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The shields in the order <paramref name="key"/> prefers them.</summary>
    public IEnumerable<ShieldEndpoint> For(string key)
    {
        foreach (var i in Rendezvous.Order(key, Names))
        {
            yield return All[i];
        }
    }
}
