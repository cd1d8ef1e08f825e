namespace EdgeFleet.Http;

/// <summary>What to do with a request's <c>Range</c> field (RFC 9110 §14).</summary>
public enum RangeOutcome
{
    /// <summary>No Range, an invalid one, or one we choose to ignore: send the whole representation (200).</summary>
    Full,

    /// <summary>Send the satisfiable ranges (206).</summary>
    Partial,

    /// <summary>None of the ranges overlaps the representation (416).</summary>
    NotSatisfiable,
}
