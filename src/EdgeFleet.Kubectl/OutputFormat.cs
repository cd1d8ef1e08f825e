namespace EdgeFleet.Kubectl;

/// <summary>The values of <c>-o/--output</c>.</summary>
internal enum OutputFormat
{
    Table,
    Json,
    Yaml,
}
