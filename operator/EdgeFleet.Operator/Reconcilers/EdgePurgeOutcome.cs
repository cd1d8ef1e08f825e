namespace EdgeFleet.Operator.Reconcilers;

/// <summary>The answer of one edge pod to <c>POST /admin/purge</c>, with a detail for status messages.</summary>
internal sealed record EdgePurgeOutcome(EdgePod Pod, EdgePurgeResult Result, string Detail);
