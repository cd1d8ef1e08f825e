namespace EdgeFleet.Operator;

/// <summary>The operator's flags, mapped onto configuration keys of <see cref="OperatorOptions"/>.</summary>
internal static class OperatorCommandLine
{
    public static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--kubeconfig"] = "Operator:Kubeconfig",
        ["--context"] = "Operator:Context",
        ["--namespace"] = "Operator:Namespace",
        ["--metrics-listen"] = "Operator:MetricsListen",
        ["--leader-elect"] = "Operator:LeaderElection",
        ["--leader-election-namespace"] = "Operator:LeaderElectionNamespace",
        ["--leader-election-id"] = "Operator:LeaderElectionId",
        ["--identity"] = "Operator:Identity",
        ["--workers"] = "Operator:Workers",
        ["--resync-period"] = "Operator:ResyncPeriod",
        ["--default-image"] = "Operator:DefaultImage",
    };

    public const string Usage = """
        usage: edgefleet-operator [options]

        Reconciles Origin, EdgeCache and Invalidation resources (edgefleet.io/v1alpha1).

          --kubeconfig <file>                  kubeconfig (default: KUBECONFIG, ~/.kube/config, then in-cluster)
          --context <name>                     kubeconfig context (default: the current one)
          --namespace <ns>                     watch one namespace (default: all namespaces)
          --metrics-listen <url>               /metrics, /healthz, /readyz (default http://0.0.0.0:8080)
          --leader-elect <true|false>          campaign for a Lease before reconciling (default true)
          --leader-election-namespace <ns>     namespace of the Lease (default: the client's namespace)
          --leader-election-id <name>          name of the Lease (default edgefleet-operator)
          --identity <name>                    this replica in the Lease (default: POD_NAME, then the host name)
          --workers <n>                        concurrent reconciles per controller (default 2)
          --resync-period <hh:mm:ss>           reconcile everything at least this often (default 00:10:00)
          --default-image <image>              cache image for EdgeCaches that name none

        Every setting can also come from Operator__<Setting> environment variables.
        """;

    /// <summary>Refuses unknown flags (a typo must not be ignored); configuration-key forms (<c>--Operator:X=y</c>) pass.</summary>
    public static string? FindUnknown(IEnumerable<string> args) =>
        args.Select(a => a.Split('=', 2)[0])
            .FirstOrDefault(name => name.StartsWith("--", StringComparison.Ordinal) && !Switches.ContainsKey(name) && !name.Contains(':', StringComparison.Ordinal));
}
