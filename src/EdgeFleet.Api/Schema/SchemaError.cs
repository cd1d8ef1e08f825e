namespace EdgeFleet.Api.Schema;

/// <summary>One validation failure, named by its field path as the API server names it (<c>spec.regions[0].name</c>).</summary>
public sealed record SchemaError(string Path, string Message)
{
    public override string ToString() => $"{(Path.Length == 0 ? "<root>" : Path)}: {Message}";
}
