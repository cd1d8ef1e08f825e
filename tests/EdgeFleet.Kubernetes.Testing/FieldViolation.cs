namespace EdgeFleet.Kubernetes.Testing;

/// <summary>A validation failure: the field path (e.g. <c>spec.replicas</c>) and what is wrong with it.</summary>
public sealed record FieldViolation(string Field, string Message);
