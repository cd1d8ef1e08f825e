using System.Net;
using EdgeFleet.Http;
using Microsoft.AspNetCore.Http.Features;

namespace EdgeFleet.Cache.Direct;

/// <summary>
/// One request and its response on a direct connection, as the features ASP.NET Core code reads
/// (<see cref="HttpContext"/> over them), so the same middleware that runs under Kestrel answers
/// it. Reused for every request of the connection; the response goes out through
/// <see cref="DirectResponseWriter"/>.
/// </summary>
internal sealed class DirectExchange : IHttpRequestFeature, IHttpResponseFeature, IHttpResponseBodyFeature, IHttpRequestLifetimeFeature, IDisposable
{
    private readonly FeatureCollection _connectionFeatures = new();
    private readonly DefaultHttpContext _context;
    private readonly DirectResponseWriter _writer;
    private readonly Stream _responseStream;
    private readonly List<(Func<object, Task> Callback, object State)> _onStarting = [];
    private readonly List<(Func<object, Task> Callback, object State)> _onCompleted = [];
    private readonly CancellationTokenSource _aborted = new();
    private FeatureCollection _requestFeatures;
    private int _cleanRevision;

    public DirectExchange(DirectResponseWriter writer, IPEndPoint? local, IPEndPoint? remote, string connectionId)
    {
        _writer = writer;
        _responseStream = writer.AsStream(leaveOpen: true);
        _connectionFeatures.Set<IHttpRequestFeature>(this);
        _connectionFeatures.Set<IHttpResponseFeature>(this);
        _connectionFeatures.Set<IHttpResponseBodyFeature>(this);
        _connectionFeatures.Set<IHttpRequestLifetimeFeature>(this);
        _connectionFeatures.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = connectionId,
            LocalIpAddress = local?.Address,
            LocalPort = local?.Port ?? 0,
            RemoteIpAddress = remote?.Address,
            RemotePort = remote?.Port ?? 0,
        });
        _requestFeatures = new FeatureCollection(_connectionFeatures);
        _cleanRevision = _requestFeatures.Revision;
        _context = new DefaultHttpContext(_requestFeatures);
    }

    public HttpContext Context => _context;

    /// <summary>Whether the handler answered the request (else nothing was written and Kestrel gets it).</summary>
    public bool Answered { get; set; }

    /// <summary>Whether the handler asked for the connection to be cut (a response it could not finish).</summary>
    public bool AbortRequested { get; private set; }

    // IHttpRequestFeature
    public string Protocol { get; set; } = "HTTP/1.1";

    public string Scheme { get; set; } = "http";

    public string Method { get; set; } = "GET";

    public string PathBase { get; set; } = "";

    public string Path { get; set; } = "/";

    public string QueryString { get; set; } = "";

    public string RawTarget { get; set; } = "/";

    IHeaderDictionary IHttpRequestFeature.Headers { get; set; } = new HeaderDictionary();

    Stream IHttpRequestFeature.Body { get; set; } = Stream.Null;

    // IHttpResponseFeature
    public int StatusCode { get; set; } = 200;

    public string? ReasonPhrase { get; set; }

    /// <summary>The response fields: a HeaderDictionary unless a handler replaced them.</summary>
    public IHeaderDictionary ResponseHeaders { get; private set; } = new HeaderDictionary();

    IHeaderDictionary IHttpResponseFeature.Headers
    {
        get => ResponseHeaders;
        set => ResponseHeaders = value;
    }

    Stream IHttpResponseFeature.Body { get; set; } = Stream.Null;

    public bool HasStarted { get; private set; }

    // IHttpResponseBodyFeature
    public Stream Stream => _responseStream;

    public System.IO.Pipelines.PipeWriter Writer => _writer;

    // IHttpRequestLifetimeFeature
    public CancellationToken RequestAborted
    {
        get => _aborted.Token;
        set { }
    }

    /// <summary>Prepares for the next request: its head, and an empty response.</summary>
    public void Reset(Http1RequestHead head)
    {
        Method = head.Method;
        Path = head.Path;
        QueryString = head.Query;
        RawTarget = head.Target;
        var headers = ((IHttpRequestFeature)this).Headers;
        headers.Clear();
        foreach (var (name, value) in head.Fields)
        {
            headers.Append(name, value);
        }

        StatusCode = 200;
        ReasonPhrase = null;
        ResponseHeaders.Clear();
        HasStarted = false;
        AbortRequested = false;
        Answered = false;
        _onStarting.Clear();
        _onCompleted.Clear();
        _writer.Reset(this, head.Method == "HEAD", head.Close);

        // A fresh top layer once a handler added features to it (items, query), so they do not
        // outlive their request; a hit adds none and reuses the layer.
        if (_requestFeatures.Revision != _cleanRevision)
        {
            _requestFeatures = new FeatureCollection(_connectionFeatures);
            _cleanRevision = _requestFeatures.Revision;
        }

        _context.Uninitialize();
        _context.Initialize(_requestFeatures);
    }

    public void OnStarting(Func<object, Task> callback, object state) => _onStarting.Add((callback, state));

    public void OnCompleted(Func<object, Task> callback, object state) => _onCompleted.Add((callback, state));

    /// <summary>Runs the OnStarting callbacks (the last registered first) and fixes the head.</summary>
    public async ValueTask StartIfNeededAsync()
    {
        if (HasStarted)
        {
            return;
        }

        for (var i = _onStarting.Count - 1; i >= 0; i--)
        {
            await _onStarting[i].Callback(_onStarting[i].State);
        }

        HasStarted = true;
    }

    public async Task FireOnCompletedAsync()
    {
        for (var i = _onCompleted.Count - 1; i >= 0; i--)
        {
            await _onCompleted[i].Callback(_onCompleted[i].State);
        }
    }

    /// <summary>The connection failed under a write: requests on it are aborted.</summary>
    public void Fail() => _aborted.Cancel();

    public void Abort()
    {
        AbortRequested = true;
        _aborted.Cancel();
    }

    public void Dispose() => _aborted.Dispose();

    public void DisableBuffering()
    {
        // Writes already go out as they come.
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await StartIfNeededAsync();
        _writer.FormatHead();
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(_responseStream, path, offset, count, cancellationToken);

    public Task CompleteAsync() => _writer.CompleteAsync().AsTask();
}
