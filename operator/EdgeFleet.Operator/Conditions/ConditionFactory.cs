using EdgeFleet.Api;

namespace EdgeFleet.Operator.Conditions;

/// <summary>Builds a condition for <see cref="ConditionSet.Merge"/>, which fills in lastTransitionTime.</summary>
internal static class ConditionFactory
{
    public static Condition Make(string type, bool status, string reason, string message, long? observedGeneration) => new()
    {
        Type = type,
        Status = status ? ConditionStatus.True : ConditionStatus.False,
        Reason = reason,
        Message = message,
        ObservedGeneration = observedGeneration,
    };
}
