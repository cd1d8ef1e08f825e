namespace EdgeFleet.Cache.Fleet;

/// <summary>The body of <c>POST /admin/fleet/edges</c>: an edge registering with a shield.</summary>
public sealed class EdgeHello
{
    public string Edge { get; set; } = "";

    public string Notify { get; set; } = "";
}
