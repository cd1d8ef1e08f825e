using System.Globalization;
using EdgeFleet.Api;
using EdgeFleet.Api.V1Alpha1;

namespace EdgeFleet.Operator.Conditions;

/// <summary>
/// Computes an EdgeCache's status from its owned StatefulSets: pod counts per region and for the
/// shield tier, and the Ready, Progressing and Degraded conditions with a reason and a message that
/// names the regions at fault (e.g. <c>Ready=False, RegionNotReady, "eu: 1/3 pods ready"</c>).
/// </summary>
internal static class EdgeCacheStatusBuilder
{
    /// <param name="edgeCache">The EdgeCache as read, with its current status.</param>
    /// <param name="originFound">Whether the referenced Origin exists.</param>
    /// <param name="workloads">One entry per region of the spec (by region name) and one for the shield tier.</param>
    /// <param name="now">The time a changed condition transitions at.</param>
    public static EdgeCacheStatus Build(EdgeCache edgeCache, bool originFound, IReadOnlyList<WorkloadStatus> workloads, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(edgeCache);
        ArgumentNullException.ThrowIfNull(workloads);
        var generation = edgeCache.Metadata.Generation;
        var regions = workloads.Where(w => !w.IsShield).ToList();
        var shield = workloads.FirstOrDefault(w => w.IsShield);
        var desired = workloads.Sum(w => w.Desired);
        var ready = workloads.Sum(w => Math.Min(w.Ready, w.Desired));
        var computed = new[]
        {
            Ready(edgeCache, originFound, regions, shield, ready, desired),
            Progressing(workloads),
            Degraded(edgeCache, originFound, workloads),
        }.Select(c => c with { ObservedGeneration = generation });

        return new EdgeCacheStatus
        {
            ObservedGeneration = generation,
            Conditions = ConditionSet.Merge(edgeCache.Status?.Conditions, computed, now),
            ReadyPods = string.Create(CultureInfo.InvariantCulture, $"{ready}/{desired}"),
            Replicas = desired,
            ReadyReplicas = ready,
            Regions = regions.Select(w => new RegionStatus { Name = w.Name, Replicas = w.Desired, ReadyReplicas = w.Ready, UpdatedReplicas = w.Updated }).ToList(),
            Shield = shield is null ? null : new TierStatus { Replicas = shield.Desired, ReadyReplicas = shield.Ready, UpdatedReplicas = shield.Updated },
        };
    }

    private static Condition Ready(EdgeCache edgeCache, bool originFound, List<WorkloadStatus> regions, WorkloadStatus? shield, int ready, int desired)
    {
        if (!originFound)
        {
            return Condition(ConditionTypes.Ready, false, ConditionReasons.OriginNotFound, OriginMissing(edgeCache));
        }

        var notReady = regions.Where(r => !r.AllReady).ToList();
        if (notReady.Count > 0)
        {
            return Condition(ConditionTypes.Ready, false, ConditionReasons.RegionNotReady, string.Join("; ", notReady.Select(r => r.DescribeReadiness())));
        }

        if (shield is { AllReady: false })
        {
            return Condition(ConditionTypes.Ready, false, ConditionReasons.ShieldNotReady, shield.DescribeReadiness());
        }

        return Condition(ConditionTypes.Ready, true, ConditionReasons.AllPodsReady, $"{ready}/{desired} pods ready in {regions.Count} regions and the shield tier");
    }

    private static Condition Progressing(IReadOnlyList<WorkloadStatus> workloads)
    {
        var rolling = workloads.Where(w => !w.RolledOut).ToList();
        return rolling.Count > 0
            ? Condition(ConditionTypes.Progressing, true, ConditionReasons.RollingOut, string.Join("; ", rolling.Select(w => w.DescribeRollout())))
            : Condition(ConditionTypes.Progressing, false, ConditionReasons.RolloutComplete, "every pod runs the current template");
    }

    // Degraded means something needs a human: a rollout that finished with pods still not ready
    // (crash loop, no node left in the region, no local volume), not a rollout still under way.
    private static Condition Degraded(EdgeCache edgeCache, bool originFound, IReadOnlyList<WorkloadStatus> workloads)
    {
        if (!originFound)
        {
            return Condition(ConditionTypes.Degraded, true, ConditionReasons.OriginNotFound, OriginMissing(edgeCache));
        }

        var stuck = workloads.Where(w => w.RolledOut && !w.AllReady).ToList();
        return stuck.Count > 0
            ? Condition(ConditionTypes.Degraded, true, ConditionReasons.PodsUnavailable, string.Join("; ", stuck.Select(w => w.DescribeReadiness())))
            : Condition(ConditionTypes.Degraded, false, ConditionReasons.AsExpected, "no pod is unavailable");
    }

    private static string OriginMissing(EdgeCache edgeCache) =>
        $"Origin \"{edgeCache.Spec.OriginRef.Name}\" not found in namespace {edgeCache.Metadata.Namespace ?? "default"}";

    private static Condition Condition(string type, bool status, string reason, string message) => new()
    {
        Type = type,
        Status = status ? ConditionStatus.True : ConditionStatus.False,
        Reason = reason,
        Message = message,
    };
}
