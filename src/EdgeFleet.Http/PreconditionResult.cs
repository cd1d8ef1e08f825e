namespace EdgeFleet.Http;

/// <summary>The outcome of evaluating a request's preconditions against a representation.</summary>
public enum PreconditionResult
{
    /// <summary>No precondition stops the request: send the representation (or the ranges asked for).</summary>
    Proceed,

    /// <summary>304 Not Modified.</summary>
    NotModified,

    /// <summary>412 Precondition Failed.</summary>
    Failed,
}
