using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace EdgeFleet.Bench.Invalidation;

/// <summary>
/// Reads objects from every edge and counts stale reads: a read that started after an
/// invalidation of its object completed, and still returned a version older than the one that
/// invalidation was for. Object bodies are <c>o{index} v{version}</c>.
/// </summary>
internal sealed class ReadChecker(HttpClient http, Stopwatch clock)
{
    private readonly ConcurrentDictionary<int, (int Version, double CompletedAtMs)> _completed = new();
    private long _reads;
    private long _checked;
    private long _stale;
    private long _errors;

    public long Reads => Interlocked.Read(ref _reads);

    public long Checked => Interlocked.Read(ref _checked);

    public long Stale => Interlocked.Read(ref _stale);

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>From now on a read of <paramref name="index"/> must return at least <paramref name="version"/>.</summary>
    public void Completed(int index, int version) => _completed[index] = (version, clock.Elapsed.TotalMilliseconds);

    public async Task ReadAsync(string edge, int index, CancellationToken cancellationToken)
    {
        var started = clock.Elapsed.TotalMilliseconds;
        var expected = _completed.TryGetValue(index, out var c) && c.CompletedAtMs <= started ? c.Version : 0;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            var body = await http.GetStringAsync($"{edge}/notes/b/{Program.Group(index)}/{index}", timeout.Token);
            Interlocked.Increment(ref _reads);
            var space = body.IndexOf(" v", StringComparison.Ordinal);
            var version = space > 0 ? int.Parse(body.AsSpan(space + 2), CultureInfo.InvariantCulture) : -1;
            if (expected > 0)
            {
                Interlocked.Increment(ref _checked);
                if (version < expected)
                {
                    Interlocked.Increment(ref _stale);
                    Console.WriteLine($"  STALE read: {edge} object {index} returned v{version}, expected v{expected} or later");
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or FormatException && !cancellationToken.IsCancellationRequested)
        {
            // A stopped edge does not answer; that is not a stale read.
            Interlocked.Increment(ref _errors);
        }
    }
}
