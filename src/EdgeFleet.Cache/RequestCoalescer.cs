using System.Collections.Concurrent;

namespace EdgeFleet.Cache;

/// <summary>
/// Request collapsing: while one request (the leader) fetches a key from the origin, others for
/// the same key wait for it instead of sending their own, then look in the store again. Also
/// remembers keys whose last answer was not storable ("hit-for-pass"), so requests for them go
/// to the origin at once instead of queueing behind each other.
/// </summary>
internal sealed class RequestCoalescer(TimeProvider time)
{
    private static readonly TimeSpan PassMemory = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _uncacheable = new(StringComparer.Ordinal);

    /// <summary>
    /// Becomes the leader for <paramref name="key"/> (returns true), or returns the task to wait
    /// for; a key known to be uncacheable returns true without leading (<paramref name="leading"/> false).
    /// </summary>
    public bool TryLead(string key, out Task wait, out bool leading)
    {
        wait = Task.CompletedTask;
        if (_uncacheable.TryGetValue(key, out var until))
        {
            if (until > time.GetUtcNow())
            {
                leading = false;
                return true;
            }

            _uncacheable.TryRemove(key, out _);
        }

        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var current = _inFlight.GetOrAdd(key, mine);
        leading = ReferenceEquals(current, mine);
        wait = current.Task;
        return leading;
    }

    /// <summary>Ends a leader's fetch and releases the waiters.</summary>
    public void Complete(string key, bool storable)
    {
        if (storable)
        {
            _uncacheable.TryRemove(key, out _);
        }
        else
        {
            _uncacheable[key] = time.GetUtcNow() + PassMemory;
            if (_uncacheable.Count > 100_000)
            {
                _uncacheable.Clear();
            }
        }

        if (_inFlight.TryRemove(key, out var tcs))
        {
            tcs.TrySetResult();
        }
    }

    /// <summary>Forgets that a key was uncacheable (after a purge, say).</summary>
    public void Forget(string key) => _uncacheable.TryRemove(key, out _);
}
