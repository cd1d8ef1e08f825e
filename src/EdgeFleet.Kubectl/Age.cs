using System.Globalization;

namespace EdgeFleet.Kubectl;

/// <summary>Ages in kubectl's short form: 45s, 3m20s, 2h, 5d.</summary>
internal static class Age
{
    public static string Since(DateTimeOffset? time, DateTimeOffset now) => time is { } t ? Format(now - t) : "<unknown>";

    public static string Format(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        var c = CultureInfo.InvariantCulture;
        return age switch
        {
            { TotalMinutes: < 2 } => ((int)age.TotalSeconds).ToString(c) + "s",
            { TotalMinutes: < 10 } => string.Create(c, $"{(int)age.TotalMinutes}m{age.Seconds}s"),
            { TotalHours: < 3 } => ((int)age.TotalMinutes).ToString(c) + "m",
            { TotalHours: < 48 } => ((int)age.TotalHours).ToString(c) + "h",
            _ => ((int)age.TotalDays).ToString(c) + "d",
        };
    }
}
