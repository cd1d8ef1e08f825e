using System.Text.Json.Nodes;

namespace EdgeFleet.Kubernetes;

/// <summary>
/// 409: an update carried a stale resourceVersion, a create found the name taken
/// (<see cref="KubernetesException.IsAlreadyExists"/>), or an apply conflicted with another field
/// manager. The client never retries it: the caller re-reads and decides.
/// </summary>
public sealed class KubernetesConflictException : KubernetesException
{
    public KubernetesConflictException()
        : this("Conflict", "conflict")
    {
    }

    public KubernetesConflictException(string message)
        : this("Conflict", message)
    {
    }

    public KubernetesConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubernetesConflictException(string reason, string message, JsonObject? status = null)
        : base(409, reason, message, status)
    {
    }
}
