namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// One invalidation on one shield: the holders it targeted and their progress, and the peers it
/// still has to reach. Complete when every holder acknowledged or its lease expired (a lease that
/// expired needs no notice: the edge revalidates before serving) and every peer accepted it.
/// </summary>
internal sealed class Invalidation(string id, DateTimeOffset started)
{
    private readonly Dictionary<string, HolderProgress> _holders = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _pendingPeers;
    private bool _sealed;

    public string Id { get; } = id;

    public DateTimeOffset Started { get; } = started;

    /// <summary>Peers that accepted the forwarded invalidation (their status is added to this one).</summary>
    public List<string> AcceptedPeers { get; } = [];

    public void Target(string edge, DateTimeOffset expires)
    {
        lock (_lock)
        {
            if (!_holders.TryGetValue(edge, out var progress))
            {
                _holders[edge] = progress = new HolderProgress();
            }

            progress.Outstanding++;
            progress.AckedAt = null;
            if (expires > progress.Expires)
            {
                progress.Expires = expires;
            }
        }
    }

    public void Acknowledge(string edge, int notices, DateTimeOffset at)
    {
        lock (_lock)
        {
            if (_holders.TryGetValue(edge, out var progress))
            {
                progress.Outstanding -= notices;
                if (progress.Outstanding <= 0)
                {
                    progress.AckedAt = at;
                }
            }
        }
    }

    public void ExpectPeers(int count)
    {
        lock (_lock)
        {
            _pendingPeers += count;
        }
    }

    public void PeerAccepted(string peer)
    {
        lock (_lock)
        {
            _pendingPeers--;
            AcceptedPeers.Add(peer);
        }
    }

    /// <summary>All notices of this invalidation were queued; until then it cannot be complete.</summary>
    public void Seal()
    {
        lock (_lock)
        {
            _sealed = true;
        }
    }

    public InvalidationStatus Status(DateTimeOffset now)
    {
        lock (_lock)
        {
            int acked = 0, expired = 0;
            var end = Started;
            foreach (var progress in _holders.Values)
            {
                if (progress.AckedAt is { } at)
                {
                    acked++;
                    end = at > end ? at : end;
                }
                else if (progress.Expires <= now)
                {
                    expired++;
                    end = progress.Expires > end ? progress.Expires : end;
                }
            }

            var complete = _sealed && _pendingPeers == 0 && acked + expired == _holders.Count;
            return new InvalidationStatus(Id, _holders.Count, acked, expired, complete, complete ? (long)(end - Started).TotalMilliseconds : null);
        }
    }
}
