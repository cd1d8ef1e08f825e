using System.Globalization;

namespace EdgeFleet.Kubernetes;

/// <summary>The two timestamp formats of the API: <c>Time</c> (seconds) and <c>MicroTime</c>.</summary>
public static class KubernetesTime
{
    /// <summary>RFC 3339 to the second, UTC: metadata timestamps, condition lastTransitionTime.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>RFC 3339 with microseconds, UTC: Lease renewTime/acquireTime, events.k8s.io eventTime.</summary>
    public static string FormatMicro(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : null;
}
