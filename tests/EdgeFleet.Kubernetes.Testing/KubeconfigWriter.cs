using System.Globalization;
using System.Text;

namespace EdgeFleet.Kubernetes.Testing;

/// <summary>Writes a one-context kubeconfig, so a program under test finds the double as it would a cluster.</summary>
public static class KubeconfigWriter
{
    /// <summary>Writes <paramref name="path"/> with a cluster at <paramref name="server"/>, a token user and a context named <paramref name="context"/>.</summary>
    public static string Write(string path, Uri server, string token, string @namespace = "default", string context = "edgefleet-test")
    {
        ArgumentNullException.ThrowIfNull(server);
        var yaml = new StringBuilder()
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: Config")
            .AppendLine(CultureInfo.InvariantCulture, $"current-context: {Quote(context)}")
            .AppendLine("clusters:")
            .AppendLine(CultureInfo.InvariantCulture, $"- name: {Quote(context)}")
            .AppendLine("  cluster:")
            .AppendLine(CultureInfo.InvariantCulture, $"    server: {Quote(server.AbsoluteUri.TrimEnd('/'))}")
            .AppendLine("users:")
            .AppendLine(CultureInfo.InvariantCulture, $"- name: {Quote(context)}")
            .AppendLine("  user:")
            .AppendLine(CultureInfo.InvariantCulture, $"    token: {Quote(token)}")
            .AppendLine("contexts:")
            .AppendLine(CultureInfo.InvariantCulture, $"- name: {Quote(context)}")
            .AppendLine("  context:")
            .AppendLine(CultureInfo.InvariantCulture, $"    cluster: {Quote(context)}")
            .AppendLine(CultureInfo.InvariantCulture, $"    user: {Quote(context)}")
            .AppendLine(CultureInfo.InvariantCulture, $"    namespace: {Quote(@namespace)}")
            .ToString();
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>Writes a kubeconfig for <paramref name="server"/>'s admin (or <paramref name="token"/>) user.</summary>
    public static string Write(string path, FakeApiServer server, string? token = null, string @namespace = "default")
    {
        ArgumentNullException.ThrowIfNull(server);
        return Write(path, server.BaseAddress, token ?? server.AdminToken, @namespace);
    }

    // Double-quoted YAML scalars: JSON string escaping is valid YAML.
    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
