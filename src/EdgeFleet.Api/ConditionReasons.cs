namespace EdgeFleet.Api;

/// <summary>
/// Machine-readable reasons of conditions (PascalCase, as the Kubernetes API conventions ask).
/// Messages carry the human detail, e.g. <c>eu: 1/3 pods ready</c>.
/// </summary>
public static class ConditionReasons
{
    /// <summary>Every region and the shield tier have all their pods ready.</summary>
    public const string AllPodsReady = "AllPodsReady";

    /// <summary>At least one region has fewer ready pods than desired.</summary>
    public const string RegionNotReady = "RegionNotReady";

    /// <summary>The shield tier has fewer ready pods than desired.</summary>
    public const string ShieldNotReady = "ShieldNotReady";

    /// <summary>The referenced Origin does not exist.</summary>
    public const string OriginNotFound = "OriginNotFound";

    /// <summary>Pods are being created, replaced or removed.</summary>
    public const string RollingOut = "RollingOut";

    /// <summary>Every pod runs the current template.</summary>
    public const string RolloutComplete = "RolloutComplete";

    /// <summary>A rollout has finished, yet some pods are not ready (crashing, unschedulable, no volume).</summary>
    public const string PodsUnavailable = "PodsUnavailable";

    /// <summary>Nothing is wrong.</summary>
    public const string AsExpected = "AsExpected";

    /// <summary>The operator has not looked at this generation yet.</summary>
    public const string Pending = "Pending";

    /// <summary>The origin answers its health check.</summary>
    public const string OriginHealthy = "OriginHealthy";

    /// <summary>The origin fails its health check.</summary>
    public const string OriginUnhealthy = "OriginUnhealthy";

    /// <summary>The referenced EdgeCache does not exist.</summary>
    public const string EdgeCacheNotFound = "EdgeCacheNotFound";

    /// <summary>Every lease holder acknowledged the invalidation or its lease expired.</summary>
    public const string InvalidationComplete = "InvalidationComplete";

    /// <summary>Some lease holders have not acknowledged the invalidation yet.</summary>
    public const string AwaitingAcknowledgements = "AwaitingAcknowledgements";

    /// <summary>The shield tier refused or lost the invalidation.</summary>
    public const string ShieldRejected = "ShieldRejected";

    /// <summary>Every Secret the resource names exists and holds the named key.</summary>
    public const string ReferencesResolved = "ReferencesResolved";

    /// <summary>A Secret the resource names does not exist.</summary>
    public const string SecretNotFound = "SecretNotFound";

    /// <summary>A Secret the resource names exists but lacks the named key.</summary>
    public const string SecretKeyNotFound = "SecretKeyNotFound";

    /// <summary>No shield pod could be reached (or every one refused the credential); retried with backoff.</summary>
    public const string ShieldUnreachable = "ShieldUnreachable";

    /// <summary>With no shield tier, some edge pods could not be reached to purge them directly; retried with backoff.</summary>
    public const string EdgeUnreachable = "EdgeUnreachable";

    /// <summary>With no shield tier, an edge pod refused the direct purge (its body or the credential).</summary>
    public const string EdgeRejected = "EdgeRejected";
}
