using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using EdgeFleet.Api;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Kubernetes;

namespace EdgeFleet.Kubectl;

/// <summary><c>status &lt;edgecache&gt;</c>: regions and their pods, the shield tier, conditions and recent invalidations.</summary>
internal sealed class StatusCommand
{
    /// <summary>How many of the newest invalidations the status shows.</summary>
    public const int RecentInvalidations = 5;

    private readonly Argument<string> _edgeCache = new("edgecache") { Description = "The EdgeCache to describe" };
    private readonly GlobalOptions _global;
    private readonly PluginConsole _console;

    public StatusCommand(GlobalOptions global, PluginConsole console)
    {
        _global = global;
        _console = console;
        Command = new Command("status", "Show an EdgeCache: regions, pods ready, conditions, recent invalidations") { _edgeCache };
        _global.RefuseAllNamespaces(Command);
        Command.SetAction(RunAsync);
    }

    public Command Command { get; }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var context = PluginContext.Create(parse, _global, _console);
        var name = parse.GetValue(_edgeCache)!;
        var obj = await context.Client.GetAsync(ResourceType.EdgeCaches, context.Namespace, name, cancellationToken);
        var all = await context.Client.ListAllAsync(ResourceType.Invalidations, context.Namespace, cancellationToken: cancellationToken);
        var recent = all.Items
            .Where(i => (string?)i["spec"]?["edgeCacheRef"]?["name"] == name)
            .OrderByDescending(i => (string?)i.Metadata()["creationTimestamp"], StringComparer.Ordinal)
            .ThenByDescending(i => i.Name(), StringComparer.Ordinal)
            .Take(RecentInvalidations)
            .ToList();
        if (context.Output != OutputFormat.Table)
        {
            ObjectPrinter.Write(context.Out, ObjectPrinter.List([obj, .. recent]), context.Output);
            return ExitCodes.Success;
        }

        Write(context.Out, KubernetesJson.ToObject<EdgeCache>(obj, EdgeFleetJson.Options), recent, context.Now);
        return ExitCodes.Success;
    }

    private static void Write(TextWriter output, EdgeCache edgeCache, List<JsonObject> recent, DateTimeOffset now)
    {
        var status = edgeCache.Status;
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"Name:        {edgeCache.Metadata.Name}");
        output.WriteLine($"Namespace:   {edgeCache.Metadata.Namespace}");
        output.WriteLine($"Origin:      {edgeCache.Spec.OriginRef.Name}");
        output.WriteLine($"Pods ready:  {status?.ReadyPods ?? "-"}");
        var stale = status?.ObservedGeneration is { } seen && seen < (edgeCache.Metadata.Generation ?? 0);
        if (stale)
        {
            output.WriteLine("             (the operator has not yet acted on the latest spec)");
        }

        output.WriteLine();
        var tiers = new TableWriter("REGION", "DESIRED", "READY", "UPDATED");
        foreach (var region in edgeCache.Spec.Regions)
        {
            var observed = status?.Regions?.FirstOrDefault(r => r.Name == region.Name);
            tiers.Add(region.Name, region.Replicas.ToString(c), Count(observed?.ReadyReplicas), Count(observed?.UpdatedReplicas));
        }

        tiers.Add("(shield)", edgeCache.Spec.Shield.Replicas.ToString(c), Count(status?.Shield?.ReadyReplicas), Count(status?.Shield?.UpdatedReplicas));
        tiers.WriteTo(output);

        output.WriteLine();
        var conditions = status?.Conditions ?? [];
        if (conditions.Count == 0)
        {
            output.WriteLine("Conditions:  none yet (is the operator running?)");
        }
        else
        {
            var table = new TableWriter("CONDITION", "STATUS", "REASON", "AGE", "MESSAGE");
            foreach (var condition in conditions)
            {
                table.Add(condition.Type, condition.Status, condition.Reason, Age.Since(condition.LastTransitionTime, now), condition.Message);
            }

            table.WriteTo(output);
        }

        output.WriteLine();
        if (recent.Count == 0)
        {
            output.WriteLine("Recent invalidations:  none");
            return;
        }

        output.WriteLine("Recent invalidations:");
        InvalidationTable.Write(output, recent, now, withNamespace: false);
    }

    private static string Count(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
