using System.Buffers;
using System.Collections.Concurrent;
using EdgeFleet.Http;
using EdgeFleet.Storage;
using Microsoft.Extensions.Options;

namespace EdgeFleet.Cache;

/// <summary>
/// The public port's request handler: looks requests up in the store, answers hits, and sends
/// misses and revalidations to the origin (collapsed per key), storing what RFC 9111 allows.
/// Every caching decision is taken by the rules of <c>EdgeFleet.Http</c>; this type does the I/O.
/// </summary>
internal sealed class CacheMiddleware
{
    private const int CopyBufferSize = 64 * 1024;

    private readonly IObjectStore _store;
    private readonly IStreamingObjectStore? _streamingStore;
    private readonly OriginClient _origin;
    private readonly RequestCoalescer _coalescer;
    private readonly StoredResponseWriter _writer;
    private readonly CacheMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly CachePolicyOptions _policy;
    private readonly ILogger<CacheMiddleware> _logger;
    private readonly string _name;
    private readonly string _via;
    private readonly long _maxObjectBytes;
    private readonly TimeSpan _readTimeout;
    private readonly TimeSpan _staleIfDisconnected;
    private readonly ConcurrentDictionary<string, byte> _backgroundRevalidations = new(StringComparer.Ordinal);
    private readonly Fleet.EdgeLeaseTable? _leases;

    public CacheMiddleware(
        IObjectStore store,
        OriginClient origin,
        RequestCoalescer coalescer,
        StoredResponseWriter writer,
        CacheMetrics metrics,
        TimeProvider time,
        CachePolicyOptions policy,
        IOptions<CacheServerOptions> options,
        ILogger<CacheMiddleware> logger,
        Fleet.EdgeLeaseTable? leases = null)
    {
        _leases = leases;
        _store = store;
        _streamingStore = store as IStreamingObjectStore;
        _origin = origin;
        _coalescer = coalescer;
        _writer = writer;
        _metrics = metrics;
        _time = time;
        _policy = policy;
        _logger = logger;
        _name = options.Value.CacheName;
        _via = "1.1 " + _name;
        _maxObjectBytes = options.Value.MaxObjectBytes;
        _readTimeout = options.Value.OriginReadTimeout;
        _staleIfDisconnected = options.Value.StaleIfDisconnected;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;

        // RFC 9112 §6.1: a message with both is a request smuggling attempt; refuse it and close.
        // (Kestrel already lets Transfer-Encoding win and closes such a connection after the
        // response; this guard keeps the cache safe on any server that passes both through.)
        if (request.Headers.ContainsKey(HeaderNames.TransferEncoding) && request.Headers.ContainsKey(HeaderNames.ContentLength))
        {
            await RejectAsync(context, 400, "both Content-Length and Transfer-Encoding", close: true);
            return;
        }

        var target = ForwardedRequest.RawTarget(context);
        if (CacheKey.FromTarget(target) is not { } key)
        {
            await RejectAsync(context, 400, "request target is not a path", close: false);
            return;
        }

        try
        {
            if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            {
                await ServeAsync(context, key);
            }
            else if (HttpMethods.IsTrace(request.Method) || HttpMethods.IsConnect(request.Method))
            {
                context.Response.Headers.Allow = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
                await RejectAsync(context, 405, $"method {request.Method} is not allowed", close: false);
            }
            else
            {
                await PassAsync(context, key);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Log.ClientAborted(_logger, key);
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            Log.Unexpected(_logger, key, ex);
            await WriteErrorAsync(context, 502, CacheStatus.Forward(_name, CacheStatus.Fwd.Miss, null, false, detail: "internal-error"), "error");
        }
    }

    private async Task ServeAsync(HttpContext context, string key)
    {
        var request = context.Request;

        var directives = Directives(request);
        var lookup = Lookup(key, request);
        ForwardedRequest Forwarded() => ForwardedRequest.From(context, key, _name);
        if (lookup.Stored is { } stored)
        {
            var entry = lookup.Entry!;
            var evaluation = Evaluate(lookup, directives);
            if (evaluation.CanServe)
            {
                if (await TryServeStoredAsync(context, key, lookup, evaluation))
                {
                    return;
                }

                // The stored copy failed its checksum (and was dropped) before anything was sent.
                await ForwardAsync(context, key, Forwarded(), directives, CacheStatus.Fwd.UriMiss, null);
                return;
            }

            if (directives.CacheControl.OnlyIfCached)
            {
                await WriteErrorAsync(context, 504, CacheStatus.Forward(_name, CacheStatus.Fwd.Stale, null, false, detail: "only-if-cached"), "miss");
                return;
            }

            var fwd = evaluation.Decision == ReuseDecision.RevalidateRequested ? CacheStatus.Fwd.Request : CacheStatus.Fwd.Stale;
            await ForwardAsync(context, key, Forwarded(), directives, fwd, new StaleCandidate(stored, entry, lookup.StorageKey, evaluation));
            return;
        }

        if (directives.CacheControl.OnlyIfCached)
        {
            // RFC 9111 §5.2.1.7: nothing suitable stored, so 504.
            await WriteErrorAsync(context, 504, CacheStatus.Forward(_name, CacheStatus.Fwd.Miss, null, false, detail: "only-if-cached"), "miss");
            return;
        }

        await ForwardAsync(context, key, Forwarded(), directives, lookup.VaryMiss ? CacheStatus.Fwd.VaryMiss : CacheStatus.Fwd.UriMiss, null);
    }

    /// <summary>
    /// The direct path's entry (see <c>Direct.DirectPath</c>): answers a GET or HEAD from storage
    /// when the rules allow it without the origin. False, with nothing written, for anything else:
    /// the request then takes the full path under Kestrel.
    /// </summary>
    public Task<bool> TryAnswerFromStoreAsync(HttpContext context)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) ||
            CacheKey.FromTarget(ForwardedRequest.RawTarget(context)) is not { } key)
        {
            return Task.FromResult(false);
        }

        // A lookup that reads a file does not run on an event thread (IoThreads).
        return IoThreads.MayBeEventThread && !_store.AnswersFromMemory(key)
            ? TryAnswerFromStoreOffEventThreadAsync(context, key)
            : TryAnswerFromStore(context, key);
    }

    private async Task<bool> TryAnswerFromStoreOffEventThreadAsync(HttpContext context, string key)
    {
        await IoThreads.LeaveAsync();
        return await TryAnswerFromStore(context, key);
    }

    private Task<bool> TryAnswerFromStore(HttpContext context, string key)
    {
        var request = context.Request;
        var lookup = Lookup(key, request);
        if (lookup.Stored is null)
        {
            return Task.FromResult(false);
        }

        var evaluation = Evaluate(lookup, Directives(request));
        return evaluation.CanServe ? TryServeStoredAsync(context, key, lookup, evaluation) : Task.FromResult(false);
    }

    // The hit path allocates as little as it can: no directive parsing without the fields, and
    // the request is snapshotted for the origin only when it has to go there.
    private static RequestDirectives Directives(HttpRequest request) =>
        request.Headers.CacheControl.Count == 0 && request.Headers.Pragma.Count == 0
            ? default
            : RequestDirectives.Parse(request.Headers.CacheControl, request.Headers.Pragma);

    private ReuseEvaluation Evaluate(CacheLookup lookup, RequestDirectives directives)
    {
        var stored = lookup.Stored!;
        var head = lookup.Entry!.Head!;
        var evaluation = ReuseRule.Evaluate(head, directives, _time.GetUtcNow(), _policy, stored.InvalidatedAt);
        return _leases?.Adjust(lookup.StorageKey, head, stored, evaluation) ?? evaluation;
    }

    /// <summary>Sends a stored response the rules allow; false when its disk copy failed its checksum before anything was sent.</summary>
    private Task<bool> TryServeStoredAsync(HttpContext context, string key, CacheLookup lookup, ReuseEvaluation evaluation)
    {
        var entry = lookup.Entry!;
        var swr = evaluation.Decision == ReuseDecision.StaleWhileRevalidate;
        if (swr)
        {
            StartBackgroundRevalidation(key, lookup.StorageKey, ForwardedRequest.From(context, key, _name), entry.Head!);
        }

        var status = swr
            ? CacheStatus.Hit(_name, evaluation.TimeToLive, "stale-while-revalidate")
            : entry.HitStatus(_name, evaluation.TimeToLive);
        return TryWriteStoredAsync(context, key, lookup.Stored!, entry, evaluation.Age, status, evaluation.Decision == ReuseDecision.Fresh ? "hit" : "stale");
    }

    private CacheLookup Lookup(string key, HttpRequest request) => Lookup(key, request, null);

    private CacheLookup Lookup(string key, ForwardedRequest forwarded) => Lookup(key, null, forwarded);

    /// <summary>Finds the stored response for a request: the object itself, or the variant a Vary marker selects.</summary>
    private CacheLookup Lookup(string key, HttpRequest? request, ForwardedRequest? forwarded)
    {
        if (!_store.TryGet(key, out var stored))
        {
            return new CacheLookup(null, null, key, false);
        }

        var entry = CachedEntry.Of(stored);
        if (!entry.IsVaryMarker)
        {
            return new CacheLookup(stored, entry, key, false);
        }

        // RFC 9111 §4.1: select the variant whose nominated fields match this request.
        var field = forwarded is not null ? forwarded.Field : StoredResponseWriter.RequestField(request!);
        if (VaryRule.SecondaryKey(entry.VaryNames, field) is not { } secondary)
        {
            return new CacheLookup(null, null, key, true);
        }

        var variantKey = CacheKey.ForVariant(key, secondary);
        return _store.TryGet(variantKey, out var variant) && CachedEntry.Of(variant) is { IsVaryMarker: false } variantEntry
            ? new CacheLookup(variant, variantEntry, variantKey, false)
            : new CacheLookup(null, null, variantKey, true);
    }

    private async Task ForwardAsync(HttpContext context, string key, ForwardedRequest forwarded, RequestDirectives directives, string fwd, StaleCandidate? stale)
    {
        var waitedSince = _time.GetUtcNow();
        if (!_coalescer.TryLead(key, out var wait, out var leading))
        {
            _metrics.Collapsed();
            try
            {
                await wait.WaitAsync(_readTimeout, _time, context.RequestAborted);
            }
            catch (TimeoutException)
            {
                // The leader is slow; go to the origin ourselves rather than wait forever.
            }

            var again = Lookup(key, forwarded);
            if (again.Stored is { } stored)
            {
                var evaluation = ReuseRule.Evaluate(again.Entry!.Head!, directives, _time.GetUtcNow(), _policy, stored.InvalidatedAt);
                evaluation = _leases?.Adjust(again.StorageKey, again.Entry.Head!, stored, evaluation) ?? evaluation;
                var fetchedForUs = evaluation.Decision == ReuseDecision.RevalidateRequested && again.Entry.Head!.ResponseTime >= waitedSince;
                if (evaluation.Decision == ReuseDecision.Fresh || fetchedForUs)
                {
                    var status = CacheStatus.Forward(_name, fwd, again.Entry.Head!.StatusCode, false, evaluation.TimeToLive, collapsed: true);
                    if (await TryWriteStoredAsync(context, key, stored, again.Entry, evaluation.Age, status, "collapsed"))
                    {
                        return;
                    }
                }
            }
        }

        var storable = false;
        try
        {
            storable = await FetchAsync(context, key, forwarded, directives, fwd, stale);
        }
        finally
        {
            if (leading)
            {
                _coalescer.Complete(key, storable);
            }
        }
    }

    /// <summary>Fetches from the origin and answers the client; returns whether the answer was storable.</summary>
    private async Task<bool> FetchAsync(HttpContext context, string key, ForwardedRequest forwarded, RequestDirectives directives, string fwd, StaleCandidate? stale)
    {
        var aborted = context.RequestAborted;
        var validators = stale is not null && stale.Head.HasValidator ? stale.Head : null;
        var requestTime = _time.GetUtcNow();
        HttpResponseMessage response;
        try
        {
            response = await _origin.SendAsync(() => forwarded.Build(_origin, "GET", fill: true, validators), idempotent: true, stale is null ? "fill" : "revalidate", aborted);
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            var (status, detail) = OriginClient.Describe(ex);
            Log.OriginFailed(_logger, key, ex.Message);
            if (stale is not null && await TryServeStaleOnErrorAsync(context, stale, directives, null))
            {
                return true;
            }

            await WriteErrorAsync(context, status, CacheStatus.Forward(_name, fwd, null, false, detail: detail), "error");
            return false;
        }

        using (response)
        {
            if (OriginResponse.HasInvalidFraming(response))
            {
                Log.OriginFailed(_logger, key, "invalid Content-Length");
                await WriteErrorAsync(context, 502, CacheStatus.Forward(_name, fwd, null, false, detail: "origin-invalid-response"), "error");
                return false;
            }

            var head = OriginResponse.Head(response, requestTime, _time.GetUtcNow(), _via);
            if (stale is not null && head.StatusCode == 304)
            {
                if (validators is not null && HeaderUpdateRule.Selects(stale.Head, head))
                {
                    await ServeRevalidatedAsync(context, stale, head, fwd);
                    return true;
                }

                // A 304 that selects nothing we hold: fetch the full response instead.
                _store.Remove(stale.StorageKey);
                return await FetchAsync(context, key, forwarded, directives, fwd, null);
            }

            // RFC 5861 §4: an error from the origin may be answered with the stale response.
            if (stale is not null && head.StatusCode is 500 or 502 or 503 or 504 &&
                await TryServeStaleOnErrorAsync(context, stale, directives, head.StatusCode))
            {
                return true;
            }

            var decision = StorabilityRule.Evaluate(forwarded.HasAuthorization, head);
            var secondary = decision.Storable ? VaryRule.SecondaryKey(head.Vary, forwarded.Field) : null;
            if (decision.Storable && secondary is null)
            {
                decision = StorabilityResult.No("Vary: * never matches");
            }

            var length = response.Content.Headers.ContentLength;
            if (decision.Storable && length > _maxObjectBytes)
            {
                decision = StorabilityResult.No("larger than the largest storable object");
            }

            if (!decision.Storable)
            {
                Log.NotStored(_logger, key, decision.Reason);
                if (stale is not null)
                {
                    // RFC 9111 §4.3.3: the new response supersedes the stored one.
                    _store.Remove(stale.StorageKey);
                }

                var status = CacheStatus.Forward(_name, fwd, head.StatusCode, false, detail: null);
                await PassResponseAsync(context, response, head, status, "miss");
                return false;
            }

            var storageKey = CacheKey.ForVariant(key, secondary!);
            await StoreAndServeAsync(context, key, storageKey, response, head, fwd);
            return true;
        }
    }

    private async Task ServeRevalidatedAsync(HttpContext context, StaleCandidate stale, ResponseHead notModified, string fwd)
    {
        var updated = HeaderUpdateRule.Apply(stale.Head, notModified);
        var entry = CachedEntry.ForResponse(updated);
        var stored = stale.Stored;
        if (_store.UpdateMetadata(stale.StorageKey, CachedEntrySerializer.Serialize(entry)) &&
            _store.TryGet(stale.StorageKey, out var refreshed))
        {
            refreshed.Decoded = entry;
            stored = refreshed;
        }

        var evaluation = ReuseRule.Evaluate(updated, default, _time.GetUtcNow(), _policy);
        var status = CacheStatus.Forward(_name, fwd, 304, true, evaluation.TimeToLive);
        await _writer.WriteAsync(context, stored, entry, evaluation.Age, status, "revalidated");
    }

    /// <summary>
    /// Serves the stale response when the origin failed: within stale-if-error (RFC 5861 §4), or,
    /// when no response came at all (<paramref name="originStatus"/> null), as a disconnected
    /// cache may (RFC 9111 §4.2.4) within <c>EdgeFleet:StaleIfDisconnected</c>.
    /// </summary>
    private async Task<bool> TryServeStaleOnErrorAsync(HttpContext context, StaleCandidate stale, RequestDirectives directives, int? originStatus)
    {
        var evaluation = ReuseRule.Evaluate(stale.Head, directives, _time.GetUtcNow(), _policy, stale.Stored.InvalidatedAt);
        string detail;
        if (ReuseRule.CanServeStaleOnError(stale.Head, directives, evaluation))
        {
            detail = "stale-if-error";
        }
        else if (originStatus is null && ReuseRule.CanServeStaleWhenDisconnected(stale.Head, evaluation, _staleIfDisconnected))
        {
            detail = "origin-unreachable";
        }
        else
        {
            return false;
        }

        var status = CacheStatus.Forward(_name, CacheStatus.Fwd.Stale, originStatus, false, evaluation.TimeToLive, detail);
        await _writer.WriteAsync(context, stale.Stored, stale.Entry, evaluation.Age, status, "stale");
        return true;
    }

    /// <summary>
    /// Reads a storable response into the store. A plain GET streams to the client while the
    /// body is collected; a request that the cache must answer itself (HEAD, Range, validators)
    /// is answered from the stored copy once it is complete.
    /// </summary>
    private async Task StoreAndServeAsync(HttpContext context, string key, string storageKey, HttpResponseMessage response, ResponseHead head, string fwd)
    {
        var request = context.Request;
        var answerFromStore = HttpMethods.IsHead(request.Method) || request.Headers.Range.Count > 0 ||
            request.Headers.IfNoneMatch.Count > 0 || request.Headers.IfModifiedSince.Count > 0 ||
            request.Headers.IfMatch.Count > 0 || request.Headers.IfUnmodifiedSince.Count > 0;
        var entry = CachedEntry.ForResponse(head);
        var lifetime = FreshnessRule.Lifetime(head, _policy);
        var age = FreshnessRule.CurrentAge(head, _time.GetUtcNow());
        var cacheStatus = CacheStatus.Forward(_name, fwd, head.StatusCode, true, lifetime - age);
        var length = response.Content.Headers.ContentLength;
        using var buffer = CreateSink(storageKey, entry, head, length);
        var aborted = context.RequestAborted;

        if (answerFromStore)
        {
            await using var source = await response.Content.ReadAsStreamAsync(CancellationToken.None);
            await CopyAsync(source, buffer, null, aborted);
            var stored = buffer.IsComplete ? await CommitAsync(key, storageKey, entry, head, buffer) : null;
            stored ??= buffer is BodyBuffer { IsComplete: true } memory ? new StoredObject(storageKey, ReadOnlyMemory<byte>.Empty, memory.Memory, []) : null;
            if (stored is null)
            {
                // Too large to store after all (or the store failed): the client gets what it asked for from the origin.
                await WriteErrorAsync(context, 502, CacheStatus.Forward(_name, fwd, head.StatusCode, false, detail: "object-too-large"), "error");
                return;
            }

            stored.Decoded = entry;
            await _writer.WriteAsync(context, stored, entry, age, cacheStatus, "miss");
            return;
        }

        var client = context.Response;
        client.StatusCode = head.StatusCode;
        foreach (var (name, values) in entry.ClientFields)
        {
            client.Headers[name] = values;
        }

        if (length is { } n)
        {
            client.ContentLength = n;
        }

        _writer.WriteCommon(client, head, age, cacheStatus, rewriteFreshness: true);
        await using (var source = await response.Content.ReadAsStreamAsync(CancellationToken.None))
        {
            var (sent, originFailed) = await CopyAsync(source, buffer, client.Body, aborted);
            _metrics.Request("miss", sent);
            if (originFailed)
            {
                // The client has a Content-Length or chunked promise we cannot keep: cut it off.
                context.Abort();
            }
        }

        if (buffer.IsComplete)
        {
            await CommitAsync(key, storageKey, entry, head, buffer);
        }
    }

    private static string[] TagsOf(ResponseHead head) =>
        head.Headers.GetCombined(HeaderNames.SurrogateKey)?.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>
    /// Where a storable body goes while it streams: with a disk tier, straight into a store writer
    /// (never buffered whole); otherwise a memory buffer.
    /// </summary>
    private IBodySink CreateSink(string storageKey, CachedEntry entry, ResponseHead head, long? length) =>
        _streamingStore is { } streaming
            ? new StoreWriterSink(streaming.BeginWrite(storageKey, CachedEntrySerializer.Serialize(entry), TagsOf(head), length), length, _maxObjectBytes)
            : new BodyBuffer(length, _maxObjectBytes);

    /// <summary>Puts a complete response (and, for a Vary response, its marker) in the store.</summary>
    private async Task<StoredObject?> CommitAsync(string key, string storageKey, CachedEntry entry, ResponseHead head, IBodySink sink)
    {
        var committed = sink switch
        {
            StoreWriterSink writer => await writer.CommitAsync(),
            BodyBuffer buffer => _store.Put(storageKey, CachedEntrySerializer.Serialize(entry), buffer.Memory, TagsOf(head)),
            _ => false,
        };
        if (!committed)
        {
            return null;
        }

        if (!string.Equals(storageKey, key, StringComparison.Ordinal))
        {
            var marker = _store.TryGet(key, out var existing) ? CachedEntry.Of(existing) : null;
            if (marker is not { IsVaryMarker: true } || !marker.VaryNames.SequenceEqual(head.Vary))
            {
                _store.Put(key, CachedEntrySerializer.Serialize(CachedEntry.ForVaryMarker(head.Vary)), ReadOnlyMemory<byte>.Empty, []);
            }
        }
        else
        {
            _coalescer.Forget(key);
        }

        return _store.TryGet(storageKey, out var stored) ? stored : null;
    }

    /// <summary>
    /// Copies an origin body to the client (when <paramref name="client"/> is given) and into the
    /// store's buffer. If the client goes away the fetch continues while the object is storable,
    /// so waiters and later requests still get it. If the origin stalls or breaks off, the buffer
    /// is abandoned (a torn object is never stored) and <c>OriginFailed</c> is set.
    /// </summary>
    private async Task<(long Sent, bool OriginFailed)> CopyAsync(Stream source, IBodySink buffer, Stream? client, CancellationToken clientAborted)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        long sent = 0;
        try
        {
            using var idle = new CancellationTokenSource(_readTimeout, _time);
            while (true)
            {
                idle.CancelAfter(_readTimeout);
                int read;
                try
                {
                    read = await source.ReadAsync(chunk.AsMemory(0, CopyBufferSize), idle.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
                {
                    buffer.Abandon();
                    return (sent, true);
                }

                if (read == 0)
                {
                    return (sent, false);
                }

                await buffer.AppendAsync(chunk.AsMemory(0, read));
                if (client is not null)
                {
                    try
                    {
                        await client.WriteAsync(chunk.AsMemory(0, read), clientAborted);
                        sent += read;
                    }
                    catch (Exception ex) when (ex is OperationCanceledException or IOException)
                    {
                        // The client went away: keep filling the store if the object is storable.
                        client = null;
                    }
                }

                if (client is null && buffer.Overflowed)
                {
                    return (sent, false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private async Task PassResponseAsync(HttpContext context, HttpResponseMessage response, ResponseHead head, string cacheStatus, string outcome)
    {
        var request = context.Request;
        var client = context.Response;
        if (head.StatusCode == 200 && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            // The cache forwarded without the client's validators; answer them from this response.
            var precondition = ConditionalRule.Evaluate(StoredResponseWriter.RequestField(request), head.ETag, head.LastModified);
            if (precondition == PreconditionResult.NotModified)
            {
                StoredResponseWriter.WriteNotModified(client, head);
                client.Headers[HeaderNames.CacheStatus] = StoredResponseWriter.Join(head, cacheStatus);
                _metrics.Request(outcome, 0);
                return;
            }
        }

        client.StatusCode = head.StatusCode;
        foreach (var (name, values) in head.Headers)
        {
            if (!string.Equals(name, HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase) &&
                !string.Equals(name, HeaderNames.SurrogateKey, StringComparison.OrdinalIgnoreCase) &&
                !string.Equals(name, HeaderNames.SurrogateControl, StringComparison.OrdinalIgnoreCase) &&
                !string.Equals(name, HeaderNames.CacheStatus, StringComparison.OrdinalIgnoreCase))
            {
                client.Headers[name] = values;
            }
        }

        client.Headers[HeaderNames.CacheStatus] = StoredResponseWriter.Join(head, cacheStatus);
        var noBody = HttpMethods.IsHead(request.Method) || head.StatusCode is 204 or 304 || head.StatusCode < 200;
        if (response.Content.Headers.ContentLength is { } length && !(noBody && !HttpMethods.IsHead(request.Method)))
        {
            client.ContentLength = length;
        }

        if (noBody)
        {
            _metrics.Request(outcome, 0);
            return;
        }

        await using var source = await response.Content.ReadAsStreamAsync(CancellationToken.None);
        var (sent, originFailed) = await CopyAsync(source, new BodyBuffer(0, 0), client.Body, context.RequestAborted);
        _metrics.Request(outcome, sent);
        if (originFailed)
        {
            context.Abort();
        }
    }

    /// <summary>Methods other than GET and HEAD: streamed to the origin, never stored (§4.4 invalidation).</summary>
    private async Task PassAsync(HttpContext context, string key)
    {
        var request = context.Request;
        var forwarded = ForwardedRequest.From(context, key, _name);
        var hasBody = request.ContentLength > 0 || request.Headers.ContainsKey(HeaderNames.TransferEncoding);
        var method = request.Method;
        HttpResponseMessage response;
        var requestTime = _time.GetUtcNow();
        try
        {
            response = await _origin.SendAsync(
                () =>
                {
                    HttpContent? content = null;
                    if (hasBody)
                    {
                        content = new StreamContent(request.Body);
                        content.Headers.ContentLength = request.ContentLength;
                    }

                    return forwarded.Build(_origin, method, fill: false, null, content);
                },
                idempotent: !hasBody && method is "OPTIONS" or "PUT" or "DELETE",
                "pass",
                context.RequestAborted);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            var (status, detail) = OriginClient.Describe(ex);
            Log.OriginFailed(_logger, key, ex.Message);
            await WriteErrorAsync(context, status, CacheStatus.Forward(_name, CacheStatus.Fwd.Method, null, false, detail: detail), "error");
            return;
        }

        using (response)
        {
            if (OriginResponse.HasInvalidFraming(response))
            {
                Log.OriginFailed(_logger, key, "invalid Content-Length");
                await WriteErrorAsync(context, 502, CacheStatus.Forward(_name, CacheStatus.Fwd.Method, null, false, detail: "origin-invalid-response"), "error");
                return;
            }

            var head = OriginResponse.Head(response, requestTime, _time.GetUtcNow(), _via);
            foreach (var invalid in UnsafeMethodRule.KeysToInvalidate(method, key, request.Host.Value ?? "localhost", head.StatusCode, head.Headers.GetFirst(HeaderNames.Location), head.Headers.GetFirst(HeaderNames.ContentLocation)))
            {
                RemoveAllVariants(invalid);
            }

            await PassResponseAsync(context, response, head, CacheStatus.Forward(_name, CacheStatus.Fwd.Method, head.StatusCode, false), "pass");
        }
    }

    /// <summary>Removes a primary key and every Vary variant stored under it.</summary>
    internal int RemoveAllVariants(string primaryKey)
    {
        var removed = _store.Remove(primaryKey) ? 1 : 0;
        foreach (var variant in _store.KeysWithPrefix(primaryKey + CacheKey.VariantSeparator))
        {
            removed += _store.Remove(variant) ? 1 : 0;
        }

        _coalescer.Forget(primaryKey);
        return removed;
    }

    private void StartBackgroundRevalidation(string key, string storageKey, ForwardedRequest forwarded, ResponseHead staleHead)
    {
        if (!_backgroundRevalidations.TryAdd(storageKey, 0))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(_readTimeout * 2, _time);
                var requestTime = _time.GetUtcNow();
                using var response = await _origin.SendAsync(
                    () => forwarded.Build(_origin, "GET", fill: true, staleHead.HasValidator ? staleHead : null),
                    idempotent: true,
                    "background-revalidate",
                    timeout.Token);
                var head = OriginResponse.Head(response, requestTime, _time.GetUtcNow(), _via);
                if (head.StatusCode == 304 && HeaderUpdateRule.Selects(staleHead, head))
                {
                    var entry = CachedEntry.ForResponse(HeaderUpdateRule.Apply(staleHead, head));
                    _store.UpdateMetadata(storageKey, CachedEntrySerializer.Serialize(entry));
                    return;
                }

                var decision = StorabilityRule.Evaluate(forwarded.HasAuthorization, head);
                var secondary = decision.Storable ? VaryRule.SecondaryKey(head.Vary, forwarded.Field) : null;
                if (secondary is null || head.StatusCode >= 500)
                {
                    if (head.StatusCode < 500)
                    {
                        _store.Remove(storageKey);
                    }

                    return;
                }

                var fresh = CachedEntry.ForResponse(head);
                var variantKey = CacheKey.ForVariant(key, secondary);
                using var buffer = CreateSink(variantKey, fresh, head, response.Content.Headers.ContentLength);
                await using var source = await response.Content.ReadAsStreamAsync(timeout.Token);
                await CopyAsync(source, buffer, null, timeout.Token);
                if (buffer.IsComplete)
                {
                    await CommitAsync(key, variantKey, fresh, head, buffer);
                }
            }
            catch (Exception ex)
            {
                Log.BackgroundRevalidationFailed(_logger, storageKey, ex);
            }
            finally
            {
                _backgroundRevalidations.TryRemove(storageKey, out _);
            }
        });
    }

    /// <summary>
    /// Answers from a stored copy. Returns false when the copy turned out unreadable or corrupt
    /// (the store dropped it) before anything was sent, so the caller fetches it again; a copy
    /// that fails once the response has started can only be cut off.
    /// </summary>
    private async Task<bool> TryWriteStoredAsync(HttpContext context, string key, StoredObject stored, CachedEntry entry, TimeSpan age, string status, string outcome)
    {
        try
        {
            await _writer.WriteAsync(context, stored, entry, age, status, outcome);
            return true;
        }
        catch (IOException ex) when (stored.External is not null && !context.RequestAborted.IsCancellationRequested)
        {
            // A memory file let go between the lookup and the send (evicted or replaced) is a
            // race, not a fault: it is fetched again like an unreadable disk copy, quietly.
            if (stored.External is MemoryFileBody)
            {
                Log.StoredBodyLeft(_logger, key);
            }
            else
            {
                DiskLog.StoredCopyUnreadable(_logger, key, ex.Message);
            }

            if (context.Response.HasStarted)
            {
                context.Abort();
                return true;
            }

            context.Response.Clear();
            return false;
        }
    }

    private async Task RejectAsync(HttpContext context, int status, string reason, bool close)
    {
        Log.Rejected(_logger, reason);
        _metrics.Rejected(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (close)
        {
            context.Response.Headers.Connection = "close";
        }

        await WriteErrorAsync(context, status, CacheStatus.Forward(_name, CacheStatus.Fwd.Bypass, null, false, detail: "rejected"), "rejected", reason);
    }

    private async Task WriteErrorAsync(HttpContext context, int status, string cacheStatus, string outcome, string? message = null)
    {
        _metrics.Request(outcome, 0);
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = status;
        context.Response.Headers[HeaderNames.CacheStatus] = cacheStatus;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync((message ?? ReasonFor(status)) + "\n", context.RequestAborted);
    }

    private static string ReasonFor(int status) => status switch
    {
        502 => "Bad Gateway: the origin could not be reached or sent an invalid response",
        503 => "Service Unavailable: the origin is failing and is being given a rest",
        504 => "Gateway Timeout",
        _ => "Error",
    };
}
