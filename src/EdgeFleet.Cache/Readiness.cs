namespace EdgeFleet.Cache;

/// <summary>
/// Whether the pod should be in its region's DNS answer. It leaves the answer when draining
/// (preStop or SIGTERM) and keeps serving for the DNS TTL plus resolver slack before it exits.
/// </summary>
internal sealed class Readiness
{
    private volatile bool _draining;
    private volatile string? _notReadyReason = "starting";

    public bool IsReady => !_draining && _notReadyReason is null;

    public string Detail => _draining ? "draining" : _notReadyReason ?? "ready";

    public bool IsDraining => _draining;

    public void MarkStarted() => _notReadyReason = null;

    public void MarkNotReady(string reason) => _notReadyReason = reason;

    public void StartDraining() => _draining = true;
}
