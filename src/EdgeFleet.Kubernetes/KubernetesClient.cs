using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace EdgeFleet.Kubernetes;

/// <summary>
/// A small client of the Kubernetes REST API. Objects are <see cref="JsonObject"/>s for every kind
/// (built-in or custom); typed classes convert through <see cref="KubernetesJson"/>. A namespace
/// argument of null means the configuration's namespace for single-object calls and all
/// namespaces for <see cref="ListAsync"/> and <see cref="WatchAsync"/>.
/// Every attempt has a timeout; reads (GET, LIST, the start of a WATCH) are retried with
/// exponential backoff and jitter on connection failures, timeouts, 429 and 5xx; writes are
/// retried only on 429, which the server sends before doing any work, and never on 409.
/// A server's <c>Retry-After</c> is honoured.
/// </summary>
public sealed partial class KubernetesClient : IDisposable
{
    private const string JsonMediaType = "application/json";
    private const string MergePatchMediaType = "application/merge-patch+json";
    private const string ApplyPatchMediaType = "application/apply-patch+yaml";

    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly KubernetesClientConfiguration _config;
    private readonly KubernetesClientOptions _options;
    private readonly ILogger _logger;
    private readonly KubernetesClientMetrics _metrics;
    private readonly ResiliencePipeline<HttpResponseMessage> _reads;
    private readonly ResiliencePipeline<HttpResponseMessage> _writes;

    public KubernetesClient(
        KubernetesClientConfiguration configuration, KubernetesClientOptions? options = null, ILogger<KubernetesClient>? logger = null)
        : this(configuration, options, logger, CreateHandler(configuration))
    {
    }

    internal KubernetesClient(
        KubernetesClientConfiguration configuration, KubernetesClientOptions? options, ILogger? logger, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _config = configuration;
        _options = options ?? new KubernetesClientOptions();
        _logger = logger ?? NullLogger.Instance;
        _metrics = new KubernetesClientMetrics(_options.Meter);
        _baseUrl = configuration.Server.AbsoluteUri.TrimEnd('/');
        // Per-attempt timeouts are ours; a watch must be allowed to stream for as long as it lasts.
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(_options.UserAgent);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(JsonMediaType));
        _reads = BuildPipeline(isRead: true);
        _writes = BuildPipeline(isRead: false);
    }

    public KubernetesClientConfiguration Configuration => _config;

    /// <summary>The namespace used when a single-object call passes null.</summary>
    public string DefaultNamespace => _config.Namespace;

    public Task<JsonObject> GetAsync(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default) =>
        SendForObjectAsync(HttpMethod.Get, PathOf(type, @namespace, name, null), null, null, cancellationToken);

    /// <summary>GET that answers null for 404 NotFound instead of throwing.</summary>
    public async Task<JsonObject?> GetOrNullAsync(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetAsync(type, @namespace, name, cancellationToken);
        }
        catch (KubernetesException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>GET of the <c>/status</c> subresource.</summary>
    public Task<JsonObject> GetStatusAsync(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default) =>
        SendForObjectAsync(HttpMethod.Get, PathOf(type, @namespace, name, "status"), null, null, cancellationToken);

    /// <summary>One page of a list; <paramref name="namespace"/> null lists all namespaces.</summary>
    public async Task<ResourceList> ListAsync(
        ResourceType type, string? @namespace, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        options ??= new ListOptions();
        var query = new Query()
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("limit", options.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("continue", options.Continue)
            .Add("resourceVersion", options.ResourceVersion);
        var list = await SendForObjectAsync(HttpMethod.Get, type.Path(@namespace) + query, null, null, cancellationToken);
        var items = new List<JsonObject>();
        if (list["items"] is JsonArray array)
        {
            foreach (var item in array.OfType<JsonObject>())
            {
                // A list's items carry no apiVersion/kind on the wire; owner references and events need them.
                item["apiVersion"] ??= type.ApiVersion;
                item["kind"] ??= type.Kind;
                items.Add(item);
            }
        }

        var metadata = list["metadata"] as JsonObject;
        var next = (string?)metadata?["continue"];
        return new ResourceList(items, (string?)metadata?["resourceVersion"] ?? "", string.IsNullOrEmpty(next) ? null : next);
    }

    /// <summary>Every page of a list, followed through continue tokens; the resourceVersion is the first page's.</summary>
    public async Task<ResourceList> ListAllAsync(
        ResourceType type, string? @namespace, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ListOptions();
        var page = await ListAsync(type, @namespace, options, cancellationToken);
        var version = page.ResourceVersion;
        var items = new List<JsonObject>(page.Items);
        while (page.Continue is not null)
        {
            page = await ListAsync(type, @namespace, options with { Continue = page.Continue, ResourceVersion = null }, cancellationToken);
            items.AddRange(page.Items);
        }

        return new ResourceList(items, version, null);
    }

    /// <summary>POST. The namespace defaults to the object's, then the configuration's.</summary>
    public Task<JsonObject> CreateAsync(ResourceType type, JsonObject obj, CancellationToken cancellationToken = default) =>
        CreateAsync(type, obj, null, cancellationToken);

    /// <summary>POST, recording <paramref name="fieldManager"/> as the owner of the fields it sets (managedFields).</summary>
    public Task<JsonObject> CreateAsync(ResourceType type, JsonObject obj, string? fieldManager, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        obj["apiVersion"] ??= type.ApiVersion;
        obj["kind"] ??= type.Kind;
        var query = new Query().Add("fieldManager", fieldManager);
        return SendForObjectAsync(HttpMethod.Post, type.Path(NamespaceFor(type, obj.Namespace())) + query, Body(obj), JsonMediaType, cancellationToken);
    }

    /// <summary>
    /// PUT of the whole object. With metadata.resourceVersion set (as read) a concurrent change
    /// makes it fail with <see cref="KubernetesConflictException"/>: optimistic concurrency.
    /// </summary>
    public Task<JsonObject> UpdateAsync(ResourceType type, JsonObject obj, CancellationToken cancellationToken = default) =>
        PutAsync(type, obj, null, cancellationToken);

    /// <summary>PUT of the <c>/status</c> subresource: only status changes, generation stays.</summary>
    public Task<JsonObject> UpdateStatusAsync(ResourceType type, JsonObject obj, CancellationToken cancellationToken = default) =>
        PutAsync(type, obj, "status", cancellationToken);

    /// <summary>JSON merge patch (RFC 7386): maps merge, lists are replaced, null removes a field.</summary>
    public Task<JsonObject> PatchAsync(
        ResourceType type, string? @namespace, string name, JsonObject patch, CancellationToken cancellationToken = default) =>
        SendForObjectAsync(HttpMethod.Patch, PathOf(type, @namespace, name, null), Body(patch), MergePatchMediaType, cancellationToken);

    public Task<JsonObject> PatchStatusAsync(
        ResourceType type, string? @namespace, string name, JsonObject patch, CancellationToken cancellationToken = default) =>
        SendForObjectAsync(HttpMethod.Patch, PathOf(type, @namespace, name, "status"), Body(patch), MergePatchMediaType, cancellationToken);

    /// <summary>
    /// Server-side apply: send only the fields this manager owns; the server creates the object if
    /// absent, merges otherwise, and removes fields this manager stopped applying. A field owned by
    /// another manager is a 409 unless <paramref name="force"/>.
    /// </summary>
    public Task<JsonObject> ApplyAsync(
        ResourceType type, JsonObject obj, string fieldManager, bool force = false, CancellationToken cancellationToken = default) =>
        ApplyCoreAsync(type, obj, fieldManager, force, null, cancellationToken);

    /// <summary>Server-side apply of the <c>/status</c> subresource.</summary>
    public Task<JsonObject> ApplyStatusAsync(
        ResourceType type, JsonObject obj, string fieldManager, bool force = false, CancellationToken cancellationToken = default) =>
        ApplyCoreAsync(type, obj, fieldManager, force, "status", cancellationToken);

    /// <summary>
    /// DELETE. Answers the object as the server left it: with a deletionTimestamp while finalizers
    /// hold it, or its last state once gone; null when the server answered with a bare Status.
    /// </summary>
    public async Task<JsonObject?> DeleteAsync(
        ResourceType type, string? @namespace, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        byte[]? body = null;
        if (options is not null)
        {
            var deleteOptions = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "DeleteOptions" };
            if (options.PropagationPolicy is not null)
            {
                deleteOptions["propagationPolicy"] = options.PropagationPolicy;
            }

            if (options.GracePeriodSeconds is not null)
            {
                deleteOptions["gracePeriodSeconds"] = options.GracePeriodSeconds;
            }

            if (options.PreconditionUid is not null || options.PreconditionResourceVersion is not null)
            {
                var preconditions = new JsonObject();
                if (options.PreconditionUid is not null)
                {
                    preconditions["uid"] = options.PreconditionUid;
                }

                if (options.PreconditionResourceVersion is not null)
                {
                    preconditions["resourceVersion"] = options.PreconditionResourceVersion;
                }

                deleteOptions["preconditions"] = preconditions;
            }

            body = Body(deleteOptions);
        }

        var result = await SendForObjectAsync(HttpMethod.Delete, PathOf(type, @namespace, name, null), body, JsonMediaType, cancellationToken);
        return (string?)result["kind"] == "Status" ? null : result;
    }

    /// <summary>
    /// Streams the events of a watch as they arrive (newline-delimited JSON, parsed line by line).
    /// The sequence ends when the server closes the stream (its timeoutSeconds, or a restart);
    /// the caller resumes from the last resourceVersion seen. An ERROR event is yielded, not thrown,
    /// so the caller can tell 410 Expired (relist) from other failures.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        ResourceType type, string? @namespace, WatchOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        options ??= new WatchOptions();
        var query = new Query()
            .Add("watch", "1")
            .Add("resourceVersion", options.ResourceVersion)
            .Add("allowWatchBookmarks", options.AllowBookmarks ? "true" : null)
            .Add("timeoutSeconds", options.TimeoutSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector);
        using var response = await SendAsync(HttpMethod.Get, type.Path(@namespace) + query, null, null, streaming: true, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // The server must end the stream by timeoutSeconds; silence well beyond that means the
        // connection died without a FIN (a NAT dropped it), which only a deadline detects.
        var idle = TimeSpan.FromSeconds(options.TimeoutSeconds ?? 3600) + _options.WatchIdleSlack;
        using var idleCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            idleCts.CancelAfter(idle);
            var line = await ReadLineAsync(reader, idleCts.Token, cancellationToken);
            if (line is null)
            {
                yield break;
            }

            if (line.Length > 0)
            {
                yield return WatchEvent.Parse(line);
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private static async Task<string?> ReadLineAsync(StreamReader reader, CancellationToken idleToken, CancellationToken callerToken)
    {
        try
        {
            return await reader.ReadLineAsync(idleToken);
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            throw new TimeoutException("watch stream went silent past its timeout");
        }
    }

    private Task<JsonObject> PutAsync(ResourceType type, JsonObject obj, string? subresource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        obj["apiVersion"] ??= type.ApiVersion;
        obj["kind"] ??= type.Kind;
        var name = obj.Name() ?? throw new ArgumentException("the object has no metadata.name", nameof(obj));
        return SendForObjectAsync(HttpMethod.Put, PathOf(type, obj.Namespace(), name, subresource), Body(obj), JsonMediaType, cancellationToken);
    }

    private Task<JsonObject> ApplyCoreAsync(
        ResourceType type, JsonObject obj, string fieldManager, bool force, string? subresource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentException.ThrowIfNullOrWhiteSpace(fieldManager);
        // Apply requires apiVersion and kind in the body.
        obj["apiVersion"] ??= type.ApiVersion;
        obj["kind"] ??= type.Kind;
        var name = obj.Name() ?? throw new ArgumentException("the object has no metadata.name", nameof(obj));
        var query = new Query().Add("fieldManager", fieldManager).Add("force", force ? "true" : null);
        // JSON is YAML, so the JSON body is sent under the apply media type as it is.
        return SendForObjectAsync(
            HttpMethod.Patch, PathOf(type, obj.Namespace(), name, subresource) + query, Body(obj), ApplyPatchMediaType, cancellationToken);
    }

    private string PathOf(ResourceType type, string? @namespace, string name, string? subresource)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return type.Path(NamespaceFor(type, @namespace), name, subresource);
    }

    private string? NamespaceFor(ResourceType type, string? @namespace) =>
        !type.Namespaced ? null : string.IsNullOrEmpty(@namespace) ? _config.Namespace : @namespace;

    private static byte[] Body(JsonObject obj) => Encoding.UTF8.GetBytes(obj.ToJsonString());

    private async Task<JsonObject> SendForObjectAsync(
        HttpMethod method, string pathAndQuery, byte[]? body, string? contentType, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, pathAndQuery, body, contentType, streaming: false, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return KubernetesJson.Parse(text);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw KubernetesException.FromResponse(response.StatusCode, text);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string pathAndQuery, byte[]? body, string? contentType, bool streaming, CancellationToken cancellationToken)
    {
        var uri = new Uri(_baseUrl + pathAndQuery);
        var pipeline = method == HttpMethod.Get ? _reads : _writes;
        return await pipeline.ExecuteAsync(
            async token =>
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(token);
                attempt.CancelAfter(_options.RequestTimeout);
                using var request = new HttpRequestMessage(method, uri);
                if (body is not null)
                {
                    request.Content = new ByteArrayContent(body);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? JsonMediaType);
                }

                Authenticate(request);
                var code = 0;
                try
                {
                    var response = await _http.SendAsync(
                        request, streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, attempt.Token);
                    code = (int)response.StatusCode;
                    return response;
                }
                catch (OperationCanceledException e) when (!token.IsCancellationRequested)
                {
                    throw new TimeoutException($"{method} {uri.AbsolutePath} did not answer within {_options.RequestTimeout}", e);
                }
                finally
                {
                    _metrics.Requests.Add(1, new("method", method.Method), new("code", code));
                }
            },
            cancellationToken);
    }

    private void Authenticate(HttpRequestMessage request)
    {
        if (_config.Token is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.GetToken());
        }
        else if (_config.Username is not null)
        {
            var pair = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_config.Username}:{_config.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", pair);
        }
    }

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline(bool isRead)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _options.TimeProvider };
        if (_options.MaxRetries <= 0)
        {
            return builder.Build();
        }

        return builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = _options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _options.RetryBaseDelay,
            MaxDelay = _options.MaxRetryDelay,
            ShouldHandle = args => ValueTask.FromResult(IsRetryable(args.Outcome, isRead)),
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
            OnRetry = args =>
            {
                var response = args.Outcome.Result;
                var method = response?.RequestMessage?.Method.Method ?? (isRead ? "GET" : "write");
                var failure = response is null
                    ? args.Outcome.Exception?.GetType().Name ?? "error"
                    : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                _metrics.Retries.Add(1, new("method", method), new("reason", failure));
                LogRetry(_logger, method, failure, args.AttemptNumber + 1, args.RetryDelay);
                response?.Dispose();
                return default;
            },
        }).Build();
    }

    // API conventions, "HTTP Status codes": 429 asks the client to wait (Retry-After) and retry and
    // is sent before the request is processed, so it is safe for writes too; 5xx and transport
    // failures may have happened after a write took effect, so only reads retry them.
    private static bool IsRetryable(Outcome<HttpResponseMessage> outcome, bool isRead)
    {
        if (outcome.Exception is not null)
        {
            return isRead && outcome.Exception is HttpRequestException or TimeoutException;
        }

        var code = (int)outcome.Result!.StatusCode;
        return code == (int)HttpStatusCode.TooManyRequests
            || (isRead && code is 500 or 502 or 503 or 504);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null)
        {
            return null;
        }

        var delay = header.Delta ?? (header.Date - _options.TimeProvider.GetUtcNow());
        if (delay is null)
        {
            return null;
        }

        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > _options.MaxRetryAfter ? _options.MaxRetryAfter : delay;
    }

    private static SocketsHttpHandler CreateHandler(KubernetesClientConfiguration configuration)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = DecompressionMethods.GZip,

            // As kubectl does: a proxy from the environment is used, except for an API server on
            // loopback (a local cluster), which .NET would otherwise send through it too.
            UseProxy = !configuration.Server.IsLoopback,
        };
        if (configuration.ClientCertificate is { } clientCertificate)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        if (configuration.InsecureSkipTlsVerify)
        {
#pragma warning disable CA5359 // The user asked for it in the kubeconfig (insecure-skip-tls-verify), as kubectl allows.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (configuration.CertificateAuthorities is { Count: > 0 } authorities)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                IsTrustedBy(authorities, certificate, errors);
        }

        return handler;
    }

    // With a CA in the kubeconfig only that CA is trusted (as kubectl does), and the name must match.
    private static bool IsTrustedBy(X509Certificate2Collection authorities, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null
            || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.ExtraStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Retrying {Method} after {Failure}, attempt {Attempt} in {Delay}")]
    private static partial void LogRetry(ILogger logger, string method, string failure, int attempt, TimeSpan delay);

    private sealed class Query
    {
        private readonly StringBuilder _text = new();

        public Query Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                _text.Append(_text.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }

            return this;
        }

        public override string ToString() => _text.ToString();
    }
}
