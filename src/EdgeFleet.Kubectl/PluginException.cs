namespace EdgeFleet.Kubectl;

/// <summary>A failure the plugin reports itself: its exit code and the one-line reason.</summary>
internal sealed class PluginException : Exception
{
    public PluginException()
    {
        ExitCode = ExitCodes.ApiError;
    }

    public PluginException(string message)
        : this(ExitCodes.ApiError, message)
    {
    }

    public PluginException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.ApiError;
    }

    public PluginException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }
}
