namespace EdgeFleet.Operator.Controllers;

/// <summary>
/// A work queue of object keys (<c>namespace/name</c>) in the manner of client-go's: a key is held
/// at most once however often it is added; a key being processed is not handed to a second worker,
/// and if it is added meanwhile it comes back once the first is done; delayed adds keep only the
/// earliest; failures back off exponentially per key until <see cref="Forget"/>.
/// </summary>
internal sealed class WorkQueue : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Queue<string> _queue = new();
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;

    public WorkQueue(TimeProvider time, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
    }

    /// <summary>Keys waiting to be processed (not counting delayed ones).</summary>
    public int Depth
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>True when nothing is queued, in process or waiting for a delay.</summary>
    public bool IsIdle
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count == 0 && _processing.Count == 0 && _waiting.Count == 0;
            }
        }
    }

    public void Add(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        lock (_lock)
        {
            if (_shutdown.IsCancellationRequested || !_dirty.Add(key))
            {
                return;
            }

            if (_processing.Contains(key))
            {
                return; // Done() puts it back
            }

            _queue.Enqueue(key);
        }

        _available.Release();
    }

    /// <summary>Adds the key after <paramref name="delay"/>; an earlier pending add of the same key wins.</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        var due = _time.GetUtcNow() + delay;
        lock (_lock)
        {
            if (_shutdown.IsCancellationRequested || (_waiting.TryGetValue(key, out var pending) && pending <= due))
            {
                return;
            }

            _waiting[key] = due;
        }

        _ = AddLaterAsync(key, due, delay);
    }

    /// <summary>Adds the key after a per-key backoff that doubles with each failure since the last <see cref="Forget"/>.</summary>
    public void AddRateLimited(string key)
    {
        int failures;
        lock (_lock)
        {
            failures = _failures[key] = _failures.GetValueOrDefault(key) + 1;
        }

        AddAfter(key, Backoff(failures));
    }

    /// <summary>Clears the key's failure count, after a success.</summary>
    public void Forget(string key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>Waits for a key; the caller must call <see cref="Done"/> with it.</summary>
    public async Task<string> TakeAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        while (true)
        {
            await _available.WaitAsync(linked.Token);
            lock (_lock)
            {
                if (_queue.TryDequeue(out var key))
                {
                    _dirty.Remove(key);
                    _processing.Add(key);
                    return key;
                }
            }
        }
    }

    public void Done(string key)
    {
        var requeued = false;
        lock (_lock)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key) && !_shutdown.IsCancellationRequested)
            {
                _queue.Enqueue(key);
                requeued = true;
            }
        }

        if (requeued)
        {
            _available.Release();
        }
    }

    public void ShutDown() => _shutdown.Cancel();

    public void Dispose()
    {
        _shutdown.Cancel();
        _shutdown.Dispose();
        _available.Dispose();
    }

    internal TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(failures - 1, 30);
        var ticks = Math.Min(_baseDelay.Ticks * Math.Pow(2, exponent), _maxDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private async Task AddLaterAsync(string key, DateTimeOffset due, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _shutdown.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        lock (_lock)
        {
            // A later, earlier-due add replaced ours and has already fired or will fire itself.
            if (!_waiting.TryGetValue(key, out var pending) || pending != due)
            {
                return;
            }

            _waiting.Remove(key);
        }

        Add(key);
    }
}
