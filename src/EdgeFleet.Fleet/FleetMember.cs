namespace EdgeFleet.Fleet;

/// <summary>One process of the local fleet, as <c>fleet.json</c> lists it.</summary>
public sealed class FleetMember
{
    public string Name { get; set; } = "";

    /// <summary><c>origin</c>, <c>shield</c> or <c>edge</c>.</summary>
    public string Role { get; set; } = "";

    public string? Region { get; set; }

    public string Public { get; set; } = "";

    public string? Admin { get; set; }

    public int Pid { get; set; }

    public int Restarts { get; set; }
}
