using System.Net;
using EdgeFleet.Kubernetes;

namespace EdgeFleet.Kubectl;

/// <summary>Turns a failure into its exit code and one plain line on standard error.</summary>
internal static class ErrorReporter
{
    public static int Report(Exception exception, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(error);
        var (code, message) = Describe(exception);
        error.WriteLine("error: " + OneLine(message));
        return code;
    }

    public static (int Code, string Message) Describe(Exception exception) => exception switch
    {
        PluginException e => (e.ExitCode, e.Message),
        KubernetesException { Code: (int)HttpStatusCode.NotFound } e => (ExitCodes.NotFound, "not found: " + e.Message),
        KubernetesException { Code: (int)HttpStatusCode.Forbidden } e => (ExitCodes.Forbidden, "forbidden: " + WithoutSubject(e.Message)),
        KubernetesException { Code: (int)HttpStatusCode.Unauthorized } => (ExitCodes.Forbidden,
            "unauthorized: the API server did not accept the credentials of the current context"),
        KubernetesException e => (ExitCodes.ApiError, $"{e.Reason}: {e.Message}"),
        KubeConfigException e => (ExitCodes.ApiError, "kubeconfig: " + e.Message),
        HttpRequestException e => (ExitCodes.ApiError, "cannot reach the API server: " + e.Message),
        TimeoutException e => (ExitCodes.ApiError, "the API server did not answer in time: " + e.Message),
        _ => (ExitCodes.ApiError, exception.Message),
    };

    // The API server says `invalidations.edgefleet.io is forbidden: User "x" cannot create resource ...`;
    // after our own "forbidden: " the part from "User" on says it all.
    private static string WithoutSubject(string message)
    {
        const string Marker = " is forbidden: ";
        var at = message.IndexOf(Marker, StringComparison.Ordinal);
        return at < 0 ? message : message[(at + Marker.Length)..];
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
