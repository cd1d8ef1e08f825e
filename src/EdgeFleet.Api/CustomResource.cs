namespace EdgeFleet.Api;

/// <summary>The envelope every edgefleet.io object shares: type meta, object meta, spec and status.</summary>
/// <typeparam name="TSpec">The desired state, written by the user.</typeparam>
/// <typeparam name="TStatus">The observed state, written by the operator through the status subresource.</typeparam>
public abstract record CustomResource<TSpec, TStatus>
    where TSpec : class, new()
    where TStatus : ResourceStatus
{
    protected CustomResource(string kind)
    {
        Kind = kind;
    }

    public string ApiVersion { get; init; } = EdgeFleetApi.ApiVersion;

    public string Kind { get; init; }

    public ObjectMeta Metadata { get; init; } = new();

    public TSpec Spec { get; init; } = new();

    public TStatus? Status { get; init; }
}
