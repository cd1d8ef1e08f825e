namespace EdgeFleet.Cache;

/// <summary>
/// Whether the pod should be in its region's DNS answer. It leaves the answer when draining
/// (preStop or SIGTERM) and keeps serving for the DNS TTL plus resolver slack before it exits.
/// </summary>
internal sealed class Readiness
{
    private volatile bool _draining;
    private volatile string? _notReadyReason = "starting";
    private volatile Func<string?>[] _degradations = [];
    private volatile string? _hold;

    public bool IsReady => !_draining && _notReadyReason is null && _hold is null;

    /// <summary>Why the pod is not ready, or <c>ready</c>; then any degradation that leaves it serving (for example <c>disk: no space left on device</c>).</summary>
    public string Detail
    {
        get
        {
            var state = _draining ? "draining" : _notReadyReason ?? _hold ?? "ready";
            foreach (var degradation in _degradations)
            {
                if (degradation() is { } problem)
                {
                    state += "; " + problem;
                }
            }

            return state;
        }
    }

    public bool IsDraining => _draining;

    public void MarkStarted() => _notReadyReason = null;

    public void MarkNotReady(string reason) => _notReadyReason = reason;

    public void StartDraining() => _draining = true;

    /// <summary>
    /// Adds a check whose problem is reported in <see cref="Detail"/> without taking the pod out of
    /// the DNS answer: it still serves, less well (a failed disk leaves memory and the origin).
    /// </summary>
    public void AddDegradation(Func<string?> problem) => _degradations = [.. _degradations, problem];

    /// <summary>Keeps the pod out of DNS for a reason that outlives start-up (an edge catching up on notices).</summary>
    public void Hold(string reason) => _hold = reason;

    public void Release() => _hold = null;
}
