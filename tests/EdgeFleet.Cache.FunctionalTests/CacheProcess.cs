using System.Diagnostics;
using System.Text.RegularExpressions;

namespace EdgeFleet.Cache.FunctionalTests;

/// <summary>
/// The cache server as a separate operating-system process (<c>dotnet EdgeFleet.Cache.dll</c>),
/// so a test can kill it with SIGKILL mid-write and start another on the same directory.
/// </summary>
public sealed partial class CacheProcess : IAsyncDisposable
{
    private readonly Process _process;

    private CacheProcess(Process process, string publicUrl, string adminUrl, string startLine)
    {
        StartLine = startLine;
        _process = process;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(publicUrl), Timeout = TimeSpan.FromSeconds(60) };
        Admin = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(adminUrl) };
    }

    public HttpClient Client { get; }

    /// <summary>The log line that said where the cache listens (and how it runs).</summary>
    public string StartLine { get; }

    public HttpClient Admin { get; }

    public static Task<CacheProcess> StartAsync(params string[] args) => StartAsync(new Dictionary<string, string>(), args);

    /// <summary>Starts the cache with <paramref name="environment"/> added to this process's environment.</summary>
    public static async Task<CacheProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var dll = typeof(CacheServerHost).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in (string[])["--listen", "http://127.0.0.1:0", "--admin-listen", "http://127.0.0.1:0", "--dns-ttl", "0", .. args])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var started = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                started.TrySetException(new InvalidOperationException("the cache exited:\n" + string.Join('\n', output)));
                return;
            }

            output.Enqueue(e.Data);
            if (Listening().Match(e.Data) is { Success: true } match)
            {
                started.TrySetResult(match);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var match = await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return new CacheProcess(process, match.Groups[1].Value, match.Groups[2].Value, match.Value);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, open files are left as they are.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Cache listening on (http://[^ ]+) \(admin (http://[^)]+)\).*")]
    private static partial Regex Listening();
}
