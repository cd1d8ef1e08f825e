using System.Text.Json;

namespace EdgeFleet.Fleet;

/// <summary>
/// <c>artifacts/fleet.json</c>: every endpoint of the local fleet, the process ids, and the
/// credentials, for scripts, the bench and the tests.
/// </summary>
public sealed class FleetManifest
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string AdminToken { get; set; } = "";

    public string OriginNotificationToken { get; set; } = "";

    public string LeaseDuration { get; set; } = "";

    public int RunnerPid { get; set; }

    public List<FleetMember> Members { get; set; } = [];

    public FleetMember Origin => Members.First(m => m.Role == "origin");

    public IEnumerable<FleetMember> Shields => Members.Where(m => m.Role == "shield");

    public IEnumerable<FleetMember> Edges => Members.Where(m => m.Role == "edge");

    public static FleetManifest Load(string path) =>
        JsonSerializer.Deserialize<FleetManifest>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty");

    public void Save(string path)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, path, overwrite: true);
    }
}
