namespace EdgeFleet.Storage.Tests.Disk;

/// <summary>A fresh directory under the system temp directory, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "edgefleet-disk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public IEnumerable<string> ObjectFiles => Directory.EnumerateFiles(System.IO.Path.Combine(Path, "objects"), "*", SearchOption.AllDirectories);

    public long ObjectFileBytes => ObjectFiles.Sum(f => new FileInfo(f).Length);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the system cleans its temp directory.
        }
    }
}
