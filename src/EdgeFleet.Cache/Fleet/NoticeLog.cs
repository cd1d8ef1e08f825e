using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// The shield's bounded log of recent notices and the sequence numbers behind them. An edge that
/// was away asks for what it missed since its last acknowledged sequence; once the oldest entry
/// is past that point the log no longer reaches back and the edge marks everything stale.
/// </summary>
internal sealed class NoticeLog
{
    private readonly Queue<NoticeLogEntry> _entries = new();
    private readonly int _capacity;
    private readonly Lock _lock = new();
    private long _seq;
    private long _dropped;

    public NoticeLog(IOptions<FleetOptions> options, TimeProvider time)
    {
        _capacity = Math.Max(1, options.Value.Notices.LogCapacity);

        // A new epoch per process: sequence numbers start again after a restart.
        Epoch = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public string Epoch { get; }

    public long LastSeq
    {
        get
        {
            lock (_lock)
            {
                return _seq;
            }
        }
    }

    /// <summary>Assigns the next sequence number to <paramref name="notice"/> and logs it.</summary>
    public void Append(Notice notice, string[]? edges)
    {
        lock (_lock)
        {
            notice.Seq = ++_seq;
            _entries.Enqueue(new NoticeLogEntry(notice.ForLog(), edges));
            while (_entries.Count > _capacity)
            {
                _entries.Dequeue();
                _dropped = _seq - _entries.Count;
            }
        }
    }

    /// <summary>Notices for <paramref name="edge"/> after <paramref name="since"/>; null when the log no longer reaches back.</summary>
    public List<Notice>? Since(long since, string edge)
    {
        lock (_lock)
        {
            if (since < _dropped || since > _seq)
            {
                return null;
            }

            var result = new List<Notice>();
            foreach (var entry in _entries)
            {
                if (entry.Notice.Seq > since && (entry.Edges is null || Array.IndexOf(entry.Edges, edge) >= 0))
                {
                    result.Add(entry.Notice);
                }
            }

            return result;
        }
    }
}
