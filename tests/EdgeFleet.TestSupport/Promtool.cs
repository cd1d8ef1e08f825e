using System.Diagnostics;

namespace EdgeFleet.TestSupport;

/// <summary>Runs Debian's <c>promtool check metrics</c> (package <c>prometheus</c>) on an exposition.</summary>
public static class Promtool
{
    private const string Path = "/usr/bin/promtool";

    /// <summary>Returns promtool's exit code and everything it printed (its lint findings).</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        // A missing linter must fail the test loudly: a skipped lint would let bad names ship.
        if (!File.Exists(Path))
        {
            throw new InvalidOperationException(
                $"{Path} is missing: install Debian's 'prometheus' package (apt-get install prometheus, or run build/deps.sh).");
        }

        var start = new ProcessStartInfo(Path, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
