namespace EdgeFleet.Kubectl;

/// <summary>
/// The plugin's exit codes, which scripts rely on: keep each number's meaning across releases.
/// Every non-zero code comes with one line on standard error that says why.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Done (for <c>invalidate --wait</c>: the invalidation completed).</summary>
    public const int Success = 0;

    /// <summary>Bad command line: unknown flag, missing argument, conflicting flags.</summary>
    public const int Usage = 1;

    /// <summary>The EdgeCache or Invalidation does not exist (or was deleted while waited on).</summary>
    public const int NotFound = 2;

    /// <summary>The API server refused the user (403), or did not accept the credentials (401).</summary>
    public const int Forbidden = 3;

    /// <summary><c>--wait</c> ran out of <c>--timeout</c> before the invalidation completed.</summary>
    public const int TimedOut = 4;

    /// <summary>Any other failure talking to the API server, including a kubeconfig it cannot use.</summary>
    public const int ApiError = 5;

    /// <summary>The invalidation reached phase Failed.</summary>
    public const int InvalidationFailed = 6;
}
