using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// The edges a shield knows: id and admin URL, from registrations (an edge registers when it
/// starts and with every fill) and from the <c>Edges</c> setting. Kept in the state directory,
/// so that a restarted shield can broadcast to every edge during its first lease period.
/// </summary>
internal sealed class EdgeRegistry
{
    private readonly ConcurrentDictionary<string, string> _edges = new(StringComparer.Ordinal);
    private readonly string? _file;
    private readonly Lock _saveLock = new();

    public EdgeRegistry(IOptions<FleetOptions> options)
    {
        var o = options.Value;
        foreach (var url in o.Edges)
        {
            _edges[url.TrimEnd('/')] = url.TrimEnd('/');
        }

        if (o.IsShield && o.StateDirectory is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            _file = Path.Combine(dir, "edges.json");
            if (File.Exists(_file))
            {
                try
                {
                    foreach (var (id, url) in JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(_file)) ?? [])
                    {
                        _edges[id] = url;
                    }
                }
                catch (JsonException)
                {
                    // A torn file from a crash: edges register again on their next fill or heartbeat.
                }
            }
        }
    }

    public int Count => _edges.Count;

    /// <summary>Every known edge: id to admin URL.</summary>
    public IReadOnlyCollection<KeyValuePair<string, string>> All => _edges.ToArray();

    public string? UrlOf(string edge) => _edges.TryGetValue(edge, out var url) ? url : null;

    public void Register(string edge, string notifyUrl)
    {
        notifyUrl = notifyUrl.TrimEnd('/');
        if (_edges.TryGetValue(edge, out var known) && string.Equals(known, notifyUrl, StringComparison.Ordinal))
        {
            return;
        }

        _edges[edge] = notifyUrl;
        if (_file is not null)
        {
            lock (_saveLock)
            {
                var temp = _file + ".tmp";
                File.WriteAllText(temp, JsonSerializer.Serialize(_edges.ToDictionary(p => p.Key, p => p.Value)));
                File.Move(temp, _file, overwrite: true);
            }
        }
    }
}
