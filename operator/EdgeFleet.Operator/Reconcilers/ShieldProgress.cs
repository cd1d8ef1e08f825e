namespace EdgeFleet.Operator.Reconcilers;

/// <summary>A shield's report on one invalidation (<c>GET /admin/invalidations/{id}</c>).</summary>
internal sealed record ShieldProgress(string Id, long Targeted, long Acknowledged, long Expired, bool Complete);
