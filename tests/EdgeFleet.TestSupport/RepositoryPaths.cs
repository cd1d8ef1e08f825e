namespace EdgeFleet.TestSupport;

/// <summary>Folders of the repository the tests read (found from the test assembly upwards).</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string Crds => Path.Combine(Root, "crds");

    public static string Examples => Path.Combine(Root, "examples");

    public static string InvalidExamples => Path.Combine(Root, "examples", "invalid");

    public static string ValidateScript => Path.Combine(Root, "build", "validate-k8s.mjs");

    public static string Crd(string plural) => Path.Combine(Crds, $"edgefleet.io_{plural}.yaml");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeFleet.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no EdgeFleet.sln above {AppContext.BaseDirectory}");
    }
}
