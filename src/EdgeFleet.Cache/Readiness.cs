namespace EdgeFleet.Cache;

/// <summary>
/// Whether the pod should be in its region's DNS answer. It leaves the answer when draining
/// (preStop or SIGTERM) and keeps serving for the DNS TTL plus resolver slack before it exits.
/// </summary>
internal sealed class Readiness
{
    private volatile bool _draining;
    private volatile string? _notReadyReason = "starting";
    private volatile string? _hold;

    public bool IsReady => !_draining && _notReadyReason is null && _hold is null;

    public string Detail => _draining ? "draining" : _notReadyReason ?? _hold ?? "ready";

    public bool IsDraining => _draining;

    public void MarkStarted() => _notReadyReason = null;

    public void MarkNotReady(string reason) => _notReadyReason = reason;

    public void StartDraining() => _draining = true;

    /// <summary>Keeps the pod out of DNS for a reason that outlives start-up (an edge catching up on notices).</summary>
    public void Hold(string reason) => _hold = reason;

    public void Release() => _hold = null;
}
