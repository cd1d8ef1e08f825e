namespace EdgeFleet.Cache.FunctionalTests;

/// <summary>A directory under the temporary folder for one test (a cache's disk tier), removed afterwards.</summary>
public sealed class ScratchDirectory(string name) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"edgefleet-{name}-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
