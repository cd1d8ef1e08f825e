namespace EdgeFleet.Kubernetes.Testing;

/// <summary>A request the double received, for tests that count attempts.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, int StatusCode);
