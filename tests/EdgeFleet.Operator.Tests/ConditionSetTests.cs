using EdgeFleet.Api;
using EdgeFleet.Operator.Conditions;

namespace EdgeFleet.Operator.Tests;

public sealed class ConditionSetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Merge_FractionalNow_TruncatedToWholeSeconds()
    {
        var merged = ConditionSet.Merge(null, [new Condition { Type = "Ready", Status = "True", Reason = "R" }], T0.AddMilliseconds(1500));

        Assert.Equal(T0.AddSeconds(1), Assert.Single(merged).LastTransitionTime);
    }

    [Fact]
    public void Merge_ForeignConditionTypes_Kept()
    {
        var existing = new[] { new Condition { Type = "example.com/Audited", Status = "True", Reason = "Done", LastTransitionTime = T0 } };

        var merged = ConditionSet.Merge(existing, [new Condition { Type = "Ready", Status = "False", Reason = "R" }], T0.AddHours(1));

        Assert.Equal(["Ready", "example.com/Audited"], merged.Select(c => c.Type));
        Assert.Equal(T0, merged[1].LastTransitionTime);
    }
}
