using System.CommandLine;
using System.Text.Json.Nodes;
using EdgeFleet.Api;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Kubernetes;

namespace EdgeFleet.Kubectl;

/// <summary>
/// <c>invalidate &lt;edgecache&gt; (--url U | --prefix P | --tag T)... [--soft] [--wait] [--timeout 2m]</c>:
/// creates an Invalidation and, with --wait, follows it until every lease holder has acknowledged.
/// </summary>
internal sealed class InvalidateCommand
{
    private readonly Argument<string> _edgeCache = new("edgecache") { Description = "The EdgeCache whose cached objects to invalidate" };
    private readonly Option<string[]> _urls = new("--url") { Description = "An exact URL or path (repeatable)", HelpName = "url" };
    private readonly Option<string[]> _prefixes = new("--prefix") { Description = "A URL path prefix (repeatable)", HelpName = "prefix" };
    private readonly Option<string[]> _tags = new("--tag") { Description = "A Surrogate-Key tag (repeatable)", HelpName = "tag" };
    private readonly Option<bool> _soft = new("--soft") { Description = "Mark stale (still servable stale-while-revalidate) instead of removing" };
    private readonly Option<bool> _wait = new("--wait") { Description = "Wait until every lease holder has acknowledged, printing progress" };
    private readonly Option<TimeSpan?> _timeout = new("--timeout")
    {
        Description = "How long --wait waits, e.g. 30s, 2m, 1h (default 2m)",
        HelpName = "duration",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (Durations.TryParse(text, out var value) && value > TimeSpan.Zero)
            {
                return value;
            }

            result.AddError($"--timeout: \"{text}\" is not a duration such as 30s, 2m or 1h");
            return null;
        },
    };

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    private readonly GlobalOptions _global;
    private readonly PluginConsole _console;

    public InvalidateCommand(GlobalOptions global, PluginConsole console)
    {
        _global = global;
        _console = console;
        Command = new Command("invalidate", "Invalidate cached objects of an EdgeCache by URL, prefix or tag")
        {
            _edgeCache, _urls, _prefixes, _tags, _soft, _wait, _timeout,
        };
        Command.Validators.Add(result =>
        {
            if (Count(result.GetValue(_urls)) + Count(result.GetValue(_prefixes)) + Count(result.GetValue(_tags)) == 0)
            {
                result.AddError("say what to invalidate: at least one --url, --prefix or --tag");
            }
        });
        _global.RefuseAllNamespaces(Command);
        Command.SetAction(RunAsync);
    }

    public Command Command { get; }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var context = PluginContext.Create(parse, _global, _console);
        var edgeCache = parse.GetValue(_edgeCache)!;
        // An Invalidation of an EdgeCache that does not exist would never complete: refuse it now.
        await context.Client.GetAsync(ResourceType.EdgeCaches, context.Namespace, edgeCache, cancellationToken);
        var created = await context.Client.CreateAsync(ResourceType.Invalidations, Build(context.Namespace, edgeCache, parse), cancellationToken);
        var name = created.Name();
        var table = context.Output == OutputFormat.Table;
        // With -o json|yaml standard output carries only the object; progress goes to standard error.
        var progressOut = table ? context.Out : _console.Error;
        progressOut.WriteLine($"invalidation.edgefleet.io/{name} created");
        if (!parse.GetValue(_wait))
        {
            if (!table)
            {
                ObjectPrinter.Write(context.Out, created, context.Output);
            }

            return ExitCodes.Success;
        }

        var waiter = new InvalidationWaiter(context.Client, _console.Time);
        var done = await waiter.WaitAsync(created, parse.GetValue(_timeout) ?? DefaultTimeout, p => progressOut.WriteLine($"{p.Name}: {p.Describe()}"), cancellationToken);
        if (table)
        {
            context.Out.WriteLine($"invalidation.edgefleet.io/{name} complete");
        }
        else
        {
            ObjectPrinter.Write(context.Out, done, context.Output);
        }

        return ExitCodes.Success;
    }

    private JsonObject Build(string ns, string edgeCache, ParseResult parse)
    {
        var spec = new JsonObject
        {
            ["edgeCacheRef"] = new JsonObject { ["name"] = edgeCache },
            ["mode"] = parse.GetValue(_soft) ? InvalidationModes.Soft : InvalidationModes.Hard,
        };
        AddList(spec, "urls", parse.GetValue(_urls));
        AddList(spec, "prefixes", parse.GetValue(_prefixes));
        AddList(spec, "tags", parse.GetValue(_tags));
        return new JsonObject
        {
            ["apiVersion"] = EdgeFleetApi.ApiVersion,
            ["kind"] = EdgeFleetApi.InvalidationKind,
            ["metadata"] = new JsonObject { ["generateName"] = edgeCache + "-", ["namespace"] = ns },
            ["spec"] = spec,
        };
    }

    private static void AddList(JsonObject spec, string field, string[]? values)
    {
        if (Count(values) > 0)
        {
            spec[field] = new JsonArray([.. values!.Distinct(StringComparer.Ordinal).Select(v => (JsonNode?)v)]);
        }
    }

    private static int Count(string[]? values) => values?.Length ?? 0;
}
