namespace EdgeFleet.Kubernetes;

/// <summary>A kubeconfig that cannot be used, with a message that names the part at fault.</summary>
public sealed class KubeConfigException : Exception
{
    public KubeConfigException()
    {
    }

    public KubeConfigException(string message)
        : base(message)
    {
    }

    public KubeConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
