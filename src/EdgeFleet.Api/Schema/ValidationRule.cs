namespace EdgeFleet.Api.Schema;

/// <summary>A CEL rule (<c>x-kubernetes-validations</c>) found in a CRD schema, with the path of the node that carries it.</summary>
public sealed record ValidationRule(string Path, string Rule, string? Message);
