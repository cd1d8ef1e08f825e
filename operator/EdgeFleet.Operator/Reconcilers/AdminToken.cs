using System.Text;
using System.Text.Json.Nodes;
using EdgeFleet.Operator.Builders;

namespace EdgeFleet.Operator.Reconcilers;

/// <summary>Reads the fleet's admin credential out of its Secret (key <c>admin-token</c>).</summary>
internal static class AdminToken
{
    /// <summary>The token, or null when the Secret is missing, lacks the key or holds no valid base64.</summary>
    public static string? Read(JsonObject? secret)
    {
        if ((string?)secret?["data"]?[CachePaths.AdminTokenKey] is not { Length: > 0 } encoded)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(encoded)) is { Length: > 0 } token ? token : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
