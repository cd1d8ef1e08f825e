using System.Security.Cryptography;
using EdgeFleet.Kubernetes;
using EdgeFleet.Operator.Builders;
using EdgeFleet.Operator.Reconcilers;

namespace EdgeFleet.Operator.Controllers;

/// <summary>
/// The operator proper, without the process around it: campaigns for the leader Lease (unless
/// disabled), and while leading runs the informers and the three controllers. Changes of owned
/// objects are mapped to their controlling EdgeCache, so whatever edits or deletes them is undone
/// (level-triggered); Secret changes reach the Origins that name them.
/// </summary>
internal sealed partial class OperatorRuntime
{
    public const string FieldManager = FleetLabels.Manager;

    private readonly KubernetesClient _client;
    private readonly OperatorOptions _options;
    private readonly IShieldEndpoints _shields;
    private readonly ShieldAdminClient _shieldClient;
    private readonly IEdgeEndpoints _edges;
    private readonly EdgePurgeClient _edgeClient;

    // Outlives leadership terms: pods purged for an Invalidation are not purged again by this process.
    private readonly PurgeLedger _purged = new();
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ControllerMetrics _metrics;
    private readonly ILogger _logger;
    private volatile IReadOnlyList<Controller> _controllers = [];
    private volatile bool _synced;
    private volatile bool _leading;

    public OperatorRuntime(
        KubernetesClient client, OperatorOptions options, IShieldEndpoints shields, IEdgeEndpoints edges, HttpClient shieldHttp,
        TimeProvider time, ILoggerFactory loggers, ControllerMetrics metrics, string identity)
    {
        _client = client;
        _options = options;
        _shields = shields;
        _shieldClient = new ShieldAdminClient(shieldHttp, options.ShieldTimeout, options.ShieldRetryDelay, time);
        _edges = edges;
        _edgeClient = new EdgePurgeClient(shieldHttp, options.ShieldTimeout, options.ShieldRetryDelay, time);
        _time = time;
        _loggers = loggers;
        _metrics = metrics;
        Identity = identity;
        _logger = loggers.CreateLogger<OperatorRuntime>();
    }

    public string Identity { get; }

    /// <summary>True while this replica holds the Lease (or always, with leader election off) and runs controllers.</summary>
    public bool IsLeading => _leading;

    /// <summary>True once, as leader, every informer has listed its objects.</summary>
    public bool HasSynced => _synced;

    /// <summary>True when no controller has a key queued, in process or scheduled for later.</summary>
    public bool IsIdle => _synced && _controllers.All(c => c.Queue.IsIdle);

    /// <summary>Runs until cancelled or, with leader election, until leadership is lost.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!_options.LeaderElection)
        {
            await RunControllersAsync(cancellationToken);
            return;
        }

        var elector = new LeaderElector(
            _client,
            new LeaderElectionOptions
            {
                LeaseNamespace = string.IsNullOrEmpty(_options.LeaderElectionNamespace) ? _client.DefaultNamespace : _options.LeaderElectionNamespace,
                LeaseName = _options.LeaderElectionId,
                Identity = Identity,
                LeaseDuration = _options.LeaseDuration,
                RenewDeadline = _options.RenewDeadline,
                RetryPeriod = _options.LeaderElectionRetryPeriod,
            },
            _time,
            _loggers.CreateLogger<LeaderElector>());
        LogCampaigning(_logger, Identity, _options.LeaderElectionId);
        await elector.RunAsync(RunControllersAsync, cancellationToken);
    }

    /// <summary>Re-adds every object to its controller's queue, as the periodic resync does.</summary>
    public void ResyncNow()
    {
        if (Informers is not { } informers)
        {
            return;
        }

        foreach (var controller in _controllers)
        {
            var informer = controller.Name switch
            {
                OriginReconciler.ControllerName => informers.Origins,
                EdgeCacheReconciler.ControllerName => informers.EdgeCaches,
                _ => informers.Invalidations,
            };
            foreach (var item in informer.Items)
            {
                controller.Queue.Add(item.Key());
            }
        }
    }

    /// <summary>The informers of the current leadership term, for tests and diagnostics; null when not leading.</summary>
    public OperatorInformers? Informers { get; private set; }

    private async Task RunControllersAsync(CancellationToken cancellationToken)
    {
        _leading = true;
        LogLeading(_logger, Identity, _options.Namespace is { Length: > 0 } ns ? ns : "all namespaces");
        var informers = new OperatorInformers(_client, string.IsNullOrEmpty(_options.Namespace) ? null : _options.Namespace, _time, _loggers);
        using var originQueue = NewQueue();
        using var edgeCacheQueue = NewQueue();
        using var invalidationQueue = NewQueue();
        Wire(informers, originQueue, edgeCacheQueue, invalidationQueue);
        using var random = RandomNumberGenerator.Create();
        var events = new EventRecorder(_client, FieldManager, Identity, _time, _loggers.CreateLogger<EventRecorder>());
        var invalidationLogger = _loggers.CreateLogger<InvalidationReconciler>();
        var builderOptions = new BuilderOptions { DefaultImage = _options.DefaultImage };
        var controllers = new List<Controller>
        {
            NewController(new OriginReconciler(_client, informers, edgeCacheQueue.Add, _time, _loggers.CreateLogger<OriginReconciler>()), originQueue, informers.Origins),
            NewController(
                new EdgeCacheReconciler(_client, informers, builderOptions, random, _options.PollInterval, events, _time, _loggers.CreateLogger<EdgeCacheReconciler>()),
                edgeCacheQueue, informers.EdgeCaches),
            NewController(
                new InvalidationReconciler(
                    _client,
                    new ShieldHandoff(_shieldClient, _shields, _options.PollInterval, events, invalidationLogger),
                    new DirectPurge(_edgeClient, _edges, _purged, events, invalidationLogger),
                    events,
                    _time),
                invalidationQueue, informers.Invalidations),
        };

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var informerTasks = informers.All.Select(i => i.RunAsync(stop.Token)).ToList();
        try
        {
            await Task.WhenAll(informers.All.Select(i => i.WaitForSyncAsync(stop.Token)));
            Informers = informers;
            _controllers = controllers;
            _synced = true;
            LogSynced(_logger, controllers.Count);
            await Task.WhenAll(controllers.Select(c => c.RunAsync(_options.Workers, _options.ResyncPeriod, stop.Token)));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Leadership lost or the process is stopping.
        }
        finally
        {
            _synced = false;
            _leading = false;
            _controllers = [];
            Informers = null;
            await stop.CancelAsync();
            originQueue.ShutDown();
            edgeCacheQueue.ShutDown();
            invalidationQueue.ShutDown();
            await Task.WhenAll(informerTasks);
            LogStopped(_logger, Identity);
        }
    }

    private static void Wire(OperatorInformers informers, WorkQueue origins, WorkQueue edgeCaches, WorkQueue invalidations)
    {
        informers.Origins.Changed += (_, change) => origins.Add(change.Key);
        informers.EdgeCaches.Changed += (_, change) => edgeCaches.Add(change.Key);
        informers.Invalidations.Changed += (_, change) => invalidations.Add(change.Key);
        informers.Secrets.Changed += (_, change) =>
        {
            EnqueueOwner(edgeCaches, change);
            foreach (var origin in informers.OriginsReferencingSecret(change.Resource.Namespace(), change.Resource.Name() ?? ""))
            {
                origins.Add(origin);
            }
        };
        foreach (var (_, informer) in informers.OwnedTiers)
        {
            informer.Changed += (_, change) => EnqueueOwner(edgeCaches, change);
        }
    }

    private static void EnqueueOwner(WorkQueue edgeCaches, ResourceChange change)
    {
        // A changed, added or deleted dependent is work for the EdgeCache that controls it.
        if (OperatorInformers.ControllingEdgeCache(change.Resource) is { } owner)
        {
            edgeCaches.Add(owner);
        }
        else if (change.Previous is not null && OperatorInformers.ControllingEdgeCache(change.Previous) is { } previousOwner)
        {
            edgeCaches.Add(previousOwner); // someone removed the owner reference
        }
    }

    private WorkQueue NewQueue() => new(_time, _options.RetryBaseDelay, _options.MaxRetryDelay);

    private Controller NewController(IReconciler reconciler, WorkQueue queue, ListWatch primary) =>
        new(reconciler, queue, () => primary.Items.Select(i => i.Key()), _metrics, _time, _loggers.CreateLogger<Controller>());

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "{Identity} campaigning for the leader lease {Lease}")]
    private static partial void LogCampaigning(ILogger logger, string identity, string lease);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "{Identity} is leading; watching {Scope}")]
    private static partial void LogLeading(ILogger logger, string identity, string scope);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Informers synced; {Count} controllers running")]
    private static partial void LogSynced(ILogger logger, int count);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "{Identity} stopped reconciling")]
    private static partial void LogStopped(ILogger logger, string identity);
}
