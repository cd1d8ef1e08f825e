namespace EdgeFleet.Operator.Builders;

/// <summary>Where things are inside a cache pod; the ConfigMap and the pod spec must agree on them.</summary>
internal static class CachePaths
{
    public const int PublicPort = 8080;
    public const int AdminPort = 8081;
    public const string PublicPortName = "http";
    public const string AdminPortName = "admin";

    public const string ConfigDirectory = "/etc/edgefleet";
    public const string ConfigFileName = "edgefleet.json";
    public const string ConfigFile = ConfigDirectory + "/" + ConfigFileName;
    public const string DiskPath = "/var/cache/edgefleet";
    public const string OriginCaDirectory = "/var/run/edgefleet/origin-ca";
    public const string OriginCaFile = OriginCaDirectory + "/ca.crt";
    public const string OriginNotifyDirectory = "/var/run/edgefleet/origin-notify";
    public const string OriginNotifyTokenFile = OriginNotifyDirectory + "/token";

    /// <summary>Key of the admin credential in the fleet's Secret.</summary>
    public const string AdminTokenKey = "admin-token";

    /// <summary>Environment variable that binds to EdgeFleet:AdminToken in the cache server's configuration.</summary>
    public const string AdminTokenVariable = "EDGEFLEET__ADMINTOKEN";
}
