using System.Text.RegularExpressions;

namespace EdgeFleet.Kubernetes.Testing;

/// <summary>
/// A label or field selector: equality (<c>=</c>, <c>==</c>, <c>!=</c>), set-based
/// (<c>in</c>, <c>notin</c>) and existence (<c>key</c>, <c>!key</c>) requirements, all of which must hold.
/// </summary>
internal sealed partial class Selector
{
    private readonly List<Func<Func<string, string?>, bool>> _requirements;

    private Selector(List<Func<Func<string, string?>, bool>> requirements) => _requirements = requirements;

    public static Selector? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var requirements = new List<Func<Func<string, string?>, bool>>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(ParseRequirement(part.Trim()));
        }

        return new Selector(requirements);
    }

    public bool Matches(Func<string, string?> lookup) => _requirements.All(r => r(lookup));

    private static Func<Func<string, string?>, bool> ParseRequirement(string text)
    {
        var set = SetRequirement().Match(text);
        if (set.Success)
        {
            var key = set.Groups["key"].Value;
            var values = set.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            return set.Groups["op"].Value == "in"
                ? lookup => lookup(key) is { } v && values.Contains(v)
                : lookup => lookup(key) is not { } v || !values.Contains(v);
        }

        var equality = EqualityRequirement().Match(text);
        if (equality.Success)
        {
            var key = equality.Groups["key"].Value.Trim();
            var value = equality.Groups["value"].Value.Trim();
            return equality.Groups["op"].Value == "!="
                ? lookup => lookup(key) != value
                : lookup => lookup(key) == value;
        }

        var exists = ExistsRequirement().Match(text);
        if (exists.Success)
        {
            var key = exists.Groups["key"].Value;
            return exists.Groups["not"].Success ? lookup => lookup(key) is null : lookup => lookup(key) is not null;
        }

        throw ApiError.BadRequest($"unable to parse requirement: \"{text}\"");
    }

    // Commas separate requirements except inside the parentheses of a set.
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    [GeneratedRegex(@"^(?<key>[^\s!=(),]+)\s+(?<op>in|notin)\s*\((?<values>[^)]*)\)$")]
    private static partial Regex SetRequirement();

    [GeneratedRegex(@"^(?<key>[^!=\s]+)\s*(?<op>==|=|!=)\s*(?<value>[^,]*)$")]
    private static partial Regex EqualityRequirement();

    [GeneratedRegex(@"^(?<not>!)?(?<key>[^\s!=(),]+)$")]
    private static partial Regex ExistsRequirement();
}
