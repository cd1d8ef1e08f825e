namespace EdgeFleet.Kubernetes;

/// <summary>What happened to an object in a <see cref="ListWatch"/> cache.</summary>
public enum ResourceChangeType
{
    Added,
    Modified,
    Deleted,
}
