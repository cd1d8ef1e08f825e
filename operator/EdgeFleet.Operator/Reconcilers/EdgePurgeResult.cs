namespace EdgeFleet.Operator.Reconcilers;

/// <summary>How one edge pod answered a purge.</summary>
internal enum EdgePurgeResult
{
    /// <summary>200: the pod dropped (or marked stale) what it held.</summary>
    Purged,

    /// <summary>No usable answer (connection refused, name not resolved, timeout, 5xx); worth retrying later.</summary>
    Unreachable,

    /// <summary>400 or 401: the pod refused the body or the credential; sending it again would not help.</summary>
    Rejected,
}
