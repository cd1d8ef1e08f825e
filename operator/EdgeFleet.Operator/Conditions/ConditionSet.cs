using EdgeFleet.Api;

namespace EdgeFleet.Operator.Conditions;

/// <summary>
/// Merges freshly computed conditions into the ones a status already has, as the API conventions
/// ask: lastTransitionTime changes only when the status (True/False/Unknown) changes, and
/// conditions of other types (set by someone else) are kept.
/// </summary>
internal static class ConditionSet
{
    public static IReadOnlyList<Condition> Merge(IReadOnlyList<Condition>? existing, IEnumerable<Condition> computed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(computed);

        // The API server stores metav1.Time with whole seconds; a finer time would never compare equal.
        var stamp = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var merged = new List<Condition>();
        foreach (var condition in computed)
        {
            var previous = existing?.FirstOrDefault(c => c.Type == condition.Type);
            merged.Add(condition with
            {
                LastTransitionTime = previous is not null && previous.Status == condition.Status ? previous.LastTransitionTime : stamp,
            });
        }

        merged.AddRange((existing ?? []).Where(c => merged.All(m => m.Type != c.Type)));
        return merged;
    }
}
