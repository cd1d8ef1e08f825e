using System.CommandLine;

namespace EdgeFleet.Kubectl;

/// <summary>The kubectl flags every command takes (they may come before or after the command).</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Namespace { get; } = new("--namespace", "-n")
    {
        Description = "The namespace; default: the namespace of the kubeconfig context",
        Recursive = true,
    };

    public Option<bool> AllNamespaces { get; } = new("--all-namespaces", "-A")
    {
        Description = "List across all namespaces (get only)",
        Recursive = true,
    };

    public Option<string?> Context { get; } = new("--context")
    {
        Description = "The kubeconfig context to use",
        Recursive = true,
    };

    public Option<string?> Kubeconfig { get; } = new("--kubeconfig")
    {
        Description = "Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)",
        Recursive = true,
    };

    // Nullable, so that the help shows no "[default: Table]" in .NET's spelling; null means table.
    public Option<OutputFormat?> Output { get; } = new("--output", "-o")
    {
        Description = "Output format: table (default), json or yaml",
        Recursive = true,
        HelpName = "table|json|yaml",
        CustomParser = result => result.Tokens.Single().Value switch
        {
            "table" or "wide" => OutputFormat.Table,
            "json" => OutputFormat.Json,
            "yaml" => OutputFormat.Yaml,
            var other => Fail(result, $"unknown output format \"{other}\": use table, json or yaml"),
        },
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Namespace);
        command.Options.Add(AllNamespaces);
        command.Options.Add(Context);
        command.Options.Add(Kubeconfig);
        command.Options.Add(Output);
    }

    /// <summary>For a command about one EdgeCache, which lives in one namespace: -A is a usage error.</summary>
    public void RefuseAllNamespaces(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(AllNamespaces))
            {
                result.AddError($"--all-namespaces does not apply to {command.Name}: an EdgeCache lives in one namespace (-n)");
            }
        });
    }

    private static OutputFormat? Fail(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return OutputFormat.Table;
    }
}
