using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EdgeFleet.TestSupport;

namespace EdgeFleet.Fleet.Tests;

/// <summary>A cache or origin process started by a test on loopback, killed when disposed.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly ProcessStartInfo _info;
    private readonly Queue<string> _output = new();
    private Process? _process;

    private ServerProcess(ProcessStartInfo info) => _info = info;

    public int Pid => _process?.Id ?? 0;

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>The last lines the process wrote (standard output and error), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    public static string CacheDll => Dll("EdgeFleet.Cache");

    public static string OriginDll => Dll("EdgeFleet.DemoOrigin");

    public static string RunnerDll => Dll("EdgeFleet.Fleet");

    public static ServerProcess Start(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var server = new ServerProcess(info);
        server.Restart();
        return server;
    }

    /// <summary>Starts the process again with the same arguments (after <see cref="Kill"/>).</summary>
    public void Restart()
    {
        var process = Process.Start(_info)!;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>Waits for the process to exit and its output to be read; returns its exit code.</summary>
    public int WaitForExit()
    {
        _process!.WaitForExit();
        return _process.ExitCode;
    }

    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A loopback socket bound to a port but not listening: the kernel refuses connections to it, and the port stays taken until it is disposed.</summary>
    public static Socket HoldRefusingPort()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    public static string Url(int port) => "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);

    public static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > 100)
            {
                _output.Dequeue();
            }
        }
    }

    private static string Dll(string project)
    {
        // The tests run from tests/EdgeFleet.Fleet.Tests/bin/<configuration>/net10.0/.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        return Path.Combine(RepositoryPaths.Root, "src", project, "bin", configuration, "net10.0", project + ".dll");
    }
}
