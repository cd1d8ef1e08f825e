namespace EdgeFleet.Operator;

/// <summary>
/// Entry point. The reconcilers and the render command come with the Kubernetes client; until then
/// the program only explains itself, so that a deployment of it fails loudly instead of idling.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: edgefleet-operator <command>

        commands (not available in this build yet):
          run                       reconcile Origin, EdgeCache and Invalidation resources
          render -f <manifests>     print the objects the operator would create, as YAML
        """;

    private static int Main(string[] args)
    {
        Console.Error.WriteLine(Usage);
        return args is ["--help"] or ["-h"] ? 0 : 2;
    }
}
