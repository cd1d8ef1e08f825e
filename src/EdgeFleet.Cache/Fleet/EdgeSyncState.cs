using System.Text.Json;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// The last notice an edge applied from each shield (by shield id), kept in the state directory
/// so that after a restart the edge asks each shield for what it missed since then.
/// </summary>
internal sealed class EdgeSyncState
{
    private readonly Dictionary<string, ShieldSyncState> _shields = new(StringComparer.Ordinal);
    private readonly string? _file;

    public EdgeSyncState(IOptions<FleetOptions> options)
    {
        if (options.Value.StateDirectory is { Length: > 0 } dir && !options.Value.IsShield)
        {
            Directory.CreateDirectory(dir);
            _file = Path.Combine(dir, "notices.json");
            if (File.Exists(_file))
            {
                try
                {
                    _shields = JsonSerializer.Deserialize<Dictionary<string, ShieldSyncState>>(File.ReadAllText(_file)) ?? _shields;
                }
                catch (JsonException)
                {
                    // A torn file: nothing is known, so catching up marks everything stale.
                }
            }
        }
    }

    public Lock Lock { get; } = new();

    /// <summary>Whether state from an earlier run was found.</summary>
    public bool HasHistory => _shields.Count > 0;

    public ShieldSyncState For(string shield)
    {
        if (!_shields.TryGetValue(shield, out var state))
        {
            _shields[shield] = state = new ShieldSyncState();
        }

        return state;
    }

    public ShieldSyncState? Find(string shield) => _shields.TryGetValue(shield, out var state) ? state : null;

    public Dictionary<string, ShieldSyncState> Snapshot() => _shields.ToDictionary(p => p.Key, p => new ShieldSyncState { Epoch = p.Value.Epoch, LastSeq = p.Value.LastSeq });

    /// <summary>Writes the state (call under <see cref="Lock"/>).</summary>
    public void Save()
    {
        if (_file is null)
        {
            return;
        }

        var temp = _file + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(_shields));
        File.Move(temp, _file, overwrite: true);
    }
}
