using System.CommandLine;
using EdgeFleet.Kubernetes;

namespace EdgeFleet.Kubectl;

/// <summary><c>get invalidations [name]</c>: a table (or -o json|yaml), in one namespace or all (-A).</summary>
internal sealed class GetCommand
{
    private static readonly string[] InvalidationNames = ["invalidations", "invalidation", "inv"];

    private readonly Argument<string> _resource = new("resource") { Description = "What to list: invalidations (or inv)" };
    private readonly Argument<string?> _name = new("name") { Description = "One invalidation by name", Arity = ArgumentArity.ZeroOrOne };
    private readonly GlobalOptions _global;
    private readonly PluginConsole _console;

    public GetCommand(GlobalOptions global, PluginConsole console)
    {
        _global = global;
        _console = console;
        _resource.AcceptOnlyFromAmong(InvalidationNames);
        Command = new Command("get", "List invalidations") { _resource, _name };
        Command.SetAction(RunAsync);
    }

    public Command Command { get; }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var context = PluginContext.Create(parse, _global, _console);
        var ns = context.AllNamespaces ? null : context.Namespace;
        List<System.Text.Json.Nodes.JsonObject> items;
        if (parse.GetValue(_name) is { } name)
        {
            items = [await context.Client.GetAsync(ResourceType.Invalidations, context.Namespace, name, cancellationToken)];
        }
        else
        {
            var list = await context.Client.ListAllAsync(ResourceType.Invalidations, ns, cancellationToken: cancellationToken);
            items = [.. list.Items.OrderBy(i => i.Namespace(), StringComparer.Ordinal).ThenBy(i => i.Name(), StringComparer.Ordinal)];
        }

        if (context.Output != OutputFormat.Table)
        {
            ObjectPrinter.Write(context.Out, items.Count == 1 && parse.GetValue(_name) is not null ? items[0] : ObjectPrinter.List(items), context.Output);
        }
        else if (items.Count == 0)
        {
            // kubectl's wording, on standard error so that a script reading the table sees none.
            _console.Error.WriteLine(ns is null ? "No resources found" : $"No resources found in {ns} namespace.");
        }
        else
        {
            InvalidationTable.Write(context.Out, items, context.Now, withNamespace: context.AllNamespaces);
        }

        return ExitCodes.Success;
    }
}
