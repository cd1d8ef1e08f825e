namespace EdgeFleet.Operator.Controllers;

/// <summary>
/// One concern of the operator: brings the world in line with one object, named by namespace and
/// name. Level-triggered: it reads the current state each time and never relies on what changed.
/// </summary>
internal interface IReconciler
{
    /// <summary>Short name for logs and metrics, e.g. <c>edgecache</c>.</summary>
    string Name { get; }

    Task<ReconcileResult> ReconcileAsync(string @namespace, string name, CancellationToken cancellationToken);
}
