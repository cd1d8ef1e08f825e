using System.CommandLine;
using EdgeFleet.Kubernetes;

namespace EdgeFleet.Kubectl;

/// <summary>One invocation's API client, namespace and output settings, from the kubectl flags.</summary>
internal sealed class PluginContext : IDisposable
{
    private PluginContext(KubernetesClient client, string @namespace, bool allNamespaces, OutputFormat output, PluginConsole console)
    {
        Client = client;
        Namespace = @namespace;
        AllNamespaces = allNamespaces;
        Output = output;
        Console = console;
    }

    public KubernetesClient Client { get; }

    /// <summary>The -n namespace, else the context's.</summary>
    public string Namespace { get; }

    public bool AllNamespaces { get; }

    public OutputFormat Output { get; }

    public PluginConsole Console { get; }

    public TextWriter Out => Console.Out;

    public DateTimeOffset Now => Console.Time.GetUtcNow();

    public static PluginContext Create(ParseResult parse, GlobalOptions options, PluginConsole console)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(console);
        var config = KubeConfigLoader.LoadDefault(parse.GetValue(options.Kubeconfig), parse.GetValue(options.Context), console.Environment);
        var clientOptions = new KubernetesClientOptions
        {
            UserAgent = "kubectl-edgefleet/" + typeof(PluginContext).Assembly.GetName().Version?.ToString(3),
            // A person is waiting: retry briefly, then say what is wrong.
            MaxRetries = 2,
            TimeProvider = console.Time,
        };
        var client = new KubernetesClient(config, clientOptions);
        var ns = parse.GetValue(options.Namespace) is { Length: > 0 } given ? given : config.Namespace;
        return new PluginContext(client, ns, parse.GetValue(options.AllNamespaces), parse.GetValue(options.Output) ?? OutputFormat.Table, console);
    }

    public void Dispose() => Client.Dispose();
}
