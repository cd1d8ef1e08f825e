using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeFleet.Kubernetes.Testing;

/// <summary>
/// An in-process Kubernetes API server double on real Kestrel (127.0.0.1, an ephemeral port) that
/// stores any registered resource type as generic JSON and follows the API conventions the
/// operator and the plugin rely on. What it implements and where it simplifies is in the README
/// of EdgeFleet.Kubernetes. Every request must carry a bearer token known to the double
/// (<see cref="AdminToken"/> or one added with <see cref="AddUser"/>).
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    private static readonly object Recorded = new();

    private readonly WebApplication _app;
    private readonly ObjectStore _store;
    private readonly ConcurrentDictionary<string, string> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _certificateUsers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly CancellationTokenSource _stopping = new();

    private FakeApiServer(WebApplication app, ObjectStore store)
    {
        _app = app;
        _store = store;
        _users[AdminToken] = "admin";
        foreach (var type in ResourceType.WellKnown)
        {
            Register(type, statusSubresource: HasStatusSubresource(type));
        }
    }

    /// <summary>The token of an all-powerful user named <c>admin</c>.</summary>
    public string AdminToken { get; } = "admin-" + Guid.NewGuid().ToString("N");

    /// <summary><c>http://127.0.0.1:port</c> (or https with a server certificate).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The last resourceVersion issued.</summary>
    public long ResourceVersion => _store.ResourceVersion;

    /// <summary>Decides whether a user may do a request; null allows every authenticated user.</summary>
    public Func<ApiRequest, bool>? Authorize { get; set; }

    /// <summary>How many changes watches can resume across; older resourceVersions get 410 Gone.</summary>
    public int HistoryLimit
    {
        get => _store.HistoryLimit;
        set => _store.HistoryLimit = value;
    }

    /// <summary>How often an open watch that asked for bookmarks receives one.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Answer a too-old watch with HTTP 410 instead of the usual 200 and an ERROR event.</summary>
    public bool WatchGoneAsHttpStatus { get; set; }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Starts the double; with a certificate it serves https.</summary>
    public static async Task<FakeApiServer> StartAsync(X509Certificate2? serverCertificate = null, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (serverCertificate is not null)
            {
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = serverCertificate;
                    // Ask for a client certificate; which ones are accepted is decided per
                    // request against the users added with AddCertificateUser.
                    https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate;
                    https.AllowAnyClientCertificate();
                });
            }
        }));
        var app = builder.Build();
        var server = new FakeApiServer(app, new ObjectStore(time ?? TimeProvider.System));
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("Kestrel reported no address");
        server.BaseAddress = new Uri(addresses.Addresses.First());
        return server;
    }

    /// <summary>Serves <paramref name="type"/>, optionally with a status subresource and a validator (422 Invalid on violations).</summary>
    public void Register(ResourceType type, bool statusSubresource = false, Func<JsonObject, IReadOnlyList<FieldViolation>>? validate = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        _store.Register(new ResourceRegistration(type, statusSubresource, validate));
    }

    /// <summary>Plugs a validator (e.g. the CRD's OpenAPI schema) into an already served type.</summary>
    public void SetValidator(ResourceType type, Func<JsonObject, IReadOnlyList<FieldViolation>>? validate)
    {
        ArgumentNullException.ThrowIfNull(type);
        var registration = _store.Find(type) ?? throw new InvalidOperationException($"{type.GroupResource} is not registered");
        _store.Register(registration with { Validate = validate });
    }

    /// <summary>
    /// Plugs a defaulter (e.g. the CRD schema's defaults) into an already served type: it runs on
    /// every write before validation, as the API server's defaulting does, and returns the object to store.
    /// </summary>
    public void SetDefaulter(ResourceType type, Func<JsonObject, JsonObject>? defaulter)
    {
        ArgumentNullException.ThrowIfNull(type);
        var registration = _store.Find(type) ?? throw new InvalidOperationException($"{type.GroupResource} is not registered");
        _store.Register(registration with { Default = defaulter });
    }

    /// <summary>Accepts <paramref name="token"/> as the user <paramref name="userName"/>.</summary>
    public void AddUser(string token, string userName) => _users[token] = userName;

    /// <summary>Over https, accepts a client presenting <paramref name="certificate"/> as <paramref name="userName"/>.</summary>
    public void AddCertificateUser(X509Certificate2 certificate, string userName)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        _certificateUsers[certificate.Thumbprint] = userName;
    }

    /// <summary>
    /// The next <paramref name="count"/> matching requests fail with <paramref name="statusCode"/>
    /// (and a Retry-After header when given) before anything else happens.
    /// </summary>
    public void FailNext(int count, HttpStatusCode statusCode, string? method = null, string? pathContains = null, TimeSpan? retryAfter = null)
    {
        for (var i = 0; i < count; i++)
        {
            _faults.Enqueue(new Fault((int)statusCode, method, pathContains, retryAfter));
        }
    }

    /// <summary>Ends every open watch stream, as an API server restart would.</summary>
    public void DisconnectWatches() => _store.CloseWatches();

    /// <summary>Forgets the event history: watches from any earlier resourceVersion get 410 Gone.</summary>
    public void CompactHistory() => _store.Compact();

    /// <summary>An object as stored, read without HTTP (for assertions), or null.</summary>
    public JsonObject? Get(ResourceType type, string? @namespace, string name) =>
        _store.TryGet(RegistrationOf(type), @namespace, name);

    /// <summary>All stored objects of a type, read without HTTP.</summary>
    public IReadOnlyList<JsonObject> List(ResourceType type) => _store.All(RegistrationOf(type));

    /// <summary>Client configuration for a user of the double.</summary>
    public KubernetesClientConfiguration ClientConfiguration(string? token = null, string @namespace = "default") => new()
    {
        Server = BaseAddress,
        Namespace = @namespace,
        Token = BearerTokenSource.FromToken(token ?? AdminToken),
    };

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _store.CloseWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private static bool HasStatusSubresource(ResourceType type) =>
        type == ResourceType.Pods || type == ResourceType.Services || type == ResourceType.StatefulSets
        || type == ResourceType.PodDisruptionBudgets || type.Group == ResourceType.EdgeFleetGroup;

    private ResourceRegistration RegistrationOf(ResourceType type) =>
        _store.Find(type) ?? throw new InvalidOperationException($"{type.GroupResource} is not registered");

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        try
        {
            if (TakeFault(request) is { } fault)
            {
                if (fault.RetryAfter is { } after)
                {
                    context.Response.Headers.RetryAfter = ((int)after.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                throw new ApiError(fault.StatusCode, ReasonOf(fault.StatusCode), "injected fault");
            }

            var user = Authenticate(context);
            var target = Route(request.Path.Value ?? "/");
            var isWatch = request.Query["watch"] is { Count: > 0 } w && w[0] is "1" or "true";
            var verb = (request.Method, target.Name, isWatch) switch
            {
                ("GET", _, true) => "watch",
                ("GET", null, _) => "list",
                ("GET", _, _) => "get",
                ("POST", _, _) => "create",
                ("PUT", _, _) => "update",
                ("PATCH", _, _) => "patch",
                ("DELETE", _, _) => "delete",
                _ => throw new ApiError(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource"),
            };
            var type = target.Registration.Type;
            if (Authorize is { } authorize
                && !authorize(new ApiRequest(user, verb, type.Group, type.Plural, target.Subresource, target.Namespace, target.Name)))
            {
                var what = target.Name is null ? type.GroupResource : $"{type.GroupResource} \"{target.Name}\"";
                var where = target.Namespace is null ? "at the cluster scope" : $"in the namespace \"{target.Namespace}\"";
                throw new ApiError(403, "Forbidden",
                    $"{what} is forbidden: User \"{user}\" cannot {verb} resource \"{type.Plural}{(target.Subresource is null ? "" : "/" + target.Subresource)}\" in API group \"{type.Group}\" {where}",
                    ApiError.Describe(type, target.Name ?? ""));
            }

            if (verb == "watch")
            {
                await WatchAsync(context, target);
                return;
            }

            var (code, body) = await ExecuteAsync(request, verb, target);
            await WriteAsync(context, code, body);
        }
        catch (ApiError e)
        {
            await WriteAsync(context, e.Code, e.ToStatus());
        }
        catch (JsonException e)
        {
            await WriteAsync(context, 400, ApiError.BadRequest($"the body is not valid JSON: {e.Message}").ToStatus());
        }
        finally
        {
            if (!context.Items.ContainsKey(Recorded))
            {
                Record(context);
            }
        }
    }

    private async Task<(int Code, JsonObject Body)> ExecuteAsync(HttpRequest request, string verb, Target target)
    {
        var registration = target.Registration;
        var query = request.Query;
        var status = target.Subresource == "status";
        if (target.Subresource is not null && !(status && registration.StatusSubresource))
        {
            throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        }

        var fieldManager = (string?)query["fieldManager"];
        switch (verb)
        {
            case "get":
                return (200, _store.Get(registration, target.Namespace, target.Name!));
            case "list":
                return (200, _store.List(registration, target.Namespace, Selector.Parse(query["labelSelector"]), Selector.Parse(query["fieldSelector"]),
                    int.TryParse(query["limit"], out var limit) ? limit : null, string.IsNullOrEmpty(query["continue"]) ? null : (string?)query["continue"]));
            case "create":
                RequireNamespace(target);
                return (201, _store.Create(registration, target.Namespace, await ReadObjectAsync(request), fieldManager));
            case "update":
                return (200, _store.Update(registration, target.Namespace, target.Name!, await ReadObjectAsync(request), status, fieldManager));
            case "delete":
                var options = request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0 ? await ReadObjectAsync(request) : null;
                if ((string?)query["propagationPolicy"] is { } policy)
                {
                    options ??= [];
                    options["propagationPolicy"] = policy;
                }

                return (200, _store.Delete(registration, target.Namespace, target.Name!, options));
            default:
                var mediaType = request.ContentType?.Split(';')[0].Trim();
                var body = await ReadObjectAsync(request);
                switch (mediaType)
                {
                    case "application/apply-patch+yaml":
                        if (string.IsNullOrEmpty(fieldManager))
                        {
                            throw new ApiError(422, "Invalid", "PATCH: fieldManager: Required value: is required for apply patch");
                        }

                        var force = (string?)query["force"] == "true";
                        return (200, _store.Apply(registration, target.Namespace, target.Name!, body, status, fieldManager, force));
                    case "application/merge-patch+json":
                    case "application/strategic-merge-patch+json": // approximated by a merge patch
                        return (200, _store.Patch(registration, target.Namespace, target.Name!, body, status, fieldManager));
                    default:
                        throw new ApiError(415, "UnsupportedMediaType", $"the double does not support patch type {mediaType}");
                }
        }
    }

    private async Task WatchAsync(HttpContext context, Target target)
    {
        var query = context.Request.Query;
        Watcher watcher;
        try
        {
            watcher = _store.Watch(target.Registration, target.Namespace, query["resourceVersion"], Selector.Parse(query["labelSelector"]),
                Selector.Parse(query["fieldSelector"]), (string?)query["allowWatchBookmarks"] == "true");
        }
        catch (ApiError e) when (e.Code == 410 && !WatchGoneAsHttpStatus)
        {
            // What a real API server does: the watch starts, then reports Expired as an ERROR event.
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                new JsonObject { ["type"] = "ERROR", ["object"] = e.ToStatus() }.ToJsonString() + "\n", context.RequestAborted);
            return;
        }

        // A watch is recorded when it starts streaming, not when it ends, so tests can see it open.
        Record(context);
        context.Items[Recorded] = true;
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        if (int.TryParse(query["timeoutSeconds"], out var seconds) && seconds > 0)
        {
            done.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        var bookmarks = watcher.Bookmarks ? BookmarkLoopAsync(watcher, done.Token) : Task.CompletedTask;
        try
        {
            context.Response.ContentType = "application/json";
            await context.Response.StartAsync(done.Token);
            await foreach (var line in watcher.Lines.Reader.ReadAllAsync(done.Token))
            {
                await context.Response.WriteAsync(line + "\n", done.Token);
                await context.Response.Body.FlushAsync(done.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds passed, the client went away, or the double is stopping.
        }
        finally
        {
            _store.Unwatch(watcher);
            await done.CancelAsync();
            await bookmarks;
        }
    }

    private void Record(HttpContext context) => _requests.Enqueue(new RecordedRequest(
        context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", context.Response.StatusCode));

    private async Task BookmarkLoopAsync(Watcher watcher, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(BookmarkInterval, cancellationToken);
                _store.Bookmark(watcher);
            }
        }
        catch (OperationCanceledException)
        {
            // the watch ended
        }
    }

    private string Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.Ordinal) && _users.TryGetValue(header["Bearer ".Length..].Trim(), out var user))
        {
            return user;
        }

        if (context.Connection.ClientCertificate is { } certificate && _certificateUsers.TryGetValue(certificate.Thumbprint, out user))
        {
            return user;
        }

        throw new ApiError(401, "Unauthorized", "Unauthorized");
    }

    private Fault? TakeFault(HttpRequest request)
    {
        if (_faults.TryPeek(out var fault)
            && (fault.Method is null || string.Equals(fault.Method, request.Method, StringComparison.OrdinalIgnoreCase))
            && (fault.PathContains is null || (request.Path.Value ?? "").Contains(fault.PathContains, StringComparison.Ordinal))
            && _faults.TryDequeue(out fault))
        {
            return fault;
        }

        return null;
    }

    // /api/v1[/namespaces/{ns}]/{plural}[/{name}[/{sub}]] and /apis/{group}/{version}[/namespaces/{ns}]/{plural}[/{name}[/{sub}]]
    private Target Route(string path)
    {
        var segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        int index;
        string group;
        string version;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, index) = ("", segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, index) = (segments[1], segments[2], 3);
        }
        else
        {
            throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        }

        string? ns = null;
        if (segments.Length - index >= 3 && segments[index] == "namespaces")
        {
            ns = segments[index + 1];
            index += 2;
        }

        var registration = _store.Find(group, version, segments[index])
            ?? throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        var name = segments.Length > index + 1 ? segments[index + 1] : null;
        var sub = segments.Length > index + 2 ? segments[index + 2] : null;
        if (segments.Length > index + 3)
        {
            throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        }

        return new Target(registration, registration.Type.Namespaced ? ns : null, name, sub);
    }

    private static void RequireNamespace(Target target)
    {
        if (target.Registration.Type.Namespaced && target.Namespace is null)
        {
            throw ApiError.BadRequest($"{target.Registration.Type.GroupResource} is namespaced: POST to /namespaces/{{namespace}}/{target.Registration.Type.Plural}");
        }
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        return JsonNode.Parse(text) as JsonObject ?? throw ApiError.BadRequest("the body must be a JSON object");
    }

    private static async Task WriteAsync(HttpContext context, int code, JsonObject body)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static string ReasonOf(int code) => code switch
    {
        429 => "TooManyRequests",
        500 => "InternalError",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "Unknown",
    };

    private sealed record Target(ResourceRegistration Registration, string? Namespace, string? Name, string? Subresource);

    private sealed record Fault(int StatusCode, string? Method, string? PathContains, TimeSpan? RetryAfter);
}
