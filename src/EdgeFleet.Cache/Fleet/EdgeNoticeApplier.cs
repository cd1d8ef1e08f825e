using EdgeFleet.Http;
using EdgeFleet.Storage;

namespace EdgeFleet.Cache.Fleet;

/// <summary>
/// Applies notice batches on an edge, in sequence order: an INVALIDATE ends the lease and removes
/// (or marks stale) every variant of the key; an UPDATE stores the pushed version and records its
/// lease. A notice at or below the last sequence applied from that shield (in the same epoch) is
/// skipped, so a batch retried after a lost acknowledgement changes nothing.
/// </summary>
internal sealed class EdgeNoticeApplier(IObjectStore store, RequestCoalescer coalescer, EdgeLeaseTable leases, EdgeSyncState state, FleetMetrics metrics, TimeProvider time)
{
    public long MarkedAllStale { get; private set; }

    /// <summary>Applies a validated batch; returns how many notices changed something.</summary>
    public int Apply(NoticeBatch batch)
    {
        lock (state.Lock)
        {
            var shield = state.For(batch.Shield);
            if (!string.Equals(shield.Epoch, batch.Epoch, StringComparison.Ordinal))
            {
                shield.Epoch = batch.Epoch;
                shield.LastSeq = 0;
            }

            var applied = 0;
            foreach (var notice in batch.Notices)
            {
                if (notice.Seq <= shield.LastSeq)
                {
                    continue;
                }

                ApplyOne(batch.Shield, notice);
                shield.LastSeq = notice.Seq;
                applied++;
            }

            state.Save();
            return applied;
        }
    }

    /// <summary>Marks every stored object stale and drops every lease: the edge may have missed notices.</summary>
    public void MarkAllStale()
    {
        var now = time.GetUtcNow();
        leases.Clear();
        foreach (var key in store.KeysWithPrefix(""))
        {
            store.Invalidate(key, now);
        }

        MarkedAllStale++;
    }

    /// <summary>Records a shield's position after catching up (or after marking all stale).</summary>
    public void Reset(string shieldId, string epoch, long seq)
    {
        lock (state.Lock)
        {
            var shield = state.For(shieldId);
            shield.Epoch = epoch;
            shield.LastSeq = seq;
            state.Save();
        }
    }

    private void ApplyOne(string shield, Notice notice)
    {
        if (notice.Kind == Notice.UpdateKind)
        {
            var fields = new HeaderFields();
            foreach (var pair in notice.Headers!)
            {
                fields.Append(pair[0], pair[1]);
            }

            var now = time.GetUtcNow();
            var head = new ResponseHead(notice.Status, fields, now, now);
            // Vary variants of the old version go; the primary entry is replaced in place, so the
            // eviction policy keeps what it knows of the key.
            if (store.TryGet(notice.Key, out var old) && CachedEntry.Of(old).IsVaryMarker)
            {
                RemoveVariants(notice.Key, soft: false);
            }

            if (StoredVersion.Put(store, notice.Key, head, Convert.FromBase64String(notice.Body!)))
            {
                leases.Record(notice.Key, new EdgeLease(notice.Version!, DateTimeOffset.FromUnixTimeMilliseconds(notice.LeaseExpires), shield, notice.Change));
            }

            metrics.NoticeApplied(Notice.UpdateKind);
            return;
        }

        // An edge that already stores what the change produced (another shield pushed it) keeps it:
        // the INVALIDATE is for versions older than the change, for example one a restarted shield
        // broadcasts because it cannot know the leases of its previous life.
        var holdsTheChange = notice.Change is not null && leases.TryGet(notice.Key, out var current) && current!.Change == notice.Change;
        if (!holdsTheChange)
        {
            leases.Drop(notice.Key);
            RemoveVariants(notice.Key, notice.Soft);
        }

        metrics.NoticeApplied(Notice.InvalidateKind);
    }

    private void RemoveVariants(string key, bool soft)
    {
        var now = time.GetUtcNow();

        // Only a Vary marker has variants; looking for them costs a scan of the store.
        var variants = store.TryGet(key, out var stored) && CachedEntry.Of(stored).IsVaryMarker
            ? store.KeysWithPrefix(key + CacheKey.VariantSeparator)
            : [];
        foreach (var storageKey in variants.Append(key))
        {
            _ = soft ? store.Invalidate(storageKey, now) : store.Remove(storageKey);
        }

        coalescer.Forget(key);
    }
}
