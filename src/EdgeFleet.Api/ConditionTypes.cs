namespace EdgeFleet.Api;

/// <summary>The condition types every edgefleet.io kind reports.</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string Progressing = "Progressing";
    public const string Degraded = "Degraded";
}
