namespace EdgeFleet.Http;

/// <summary>Byte range requests (RFC 9110 §14.1.2, §14.2) against a representation of known length.</summary>
public static class RangeRule
{
    /// <summary>
    /// More ranges than this are treated as an attack on the server (§14.2 allows ignoring or
    /// refusing them) and answered with the whole representation.
    /// </summary>
    public const int MaxRanges = 64;

    /// <summary>
    /// Resolves a Range field value. Syntax errors, other units and abusive lists give
    /// <see cref="RangeOutcome.Full"/>, as §14.2 permits ignoring Range; overlapping and adjacent
    /// ranges are coalesced (§14.6 "a server MAY coalesce"), the rest keep the order they were
    /// asked in (§14.6).
    /// </summary>
    public static RangeOutcome Resolve(string? range, long length, out IReadOnlyList<ByteRange> ranges)
    {
        ranges = [];
        if (string.IsNullOrWhiteSpace(range))
        {
            return RangeOutcome.Full;
        }

        var text = range.AsSpan().Trim();
        var eq = text.IndexOf('=');
        if (eq <= 0 || !text[..eq].Trim().Equals("bytes", StringComparison.OrdinalIgnoreCase))
        {
            return RangeOutcome.Full;
        }

        var list = new List<ByteRange>();
        var specs = 0;
        var emptySatisfiable = false;
        foreach (var part in text[(eq + 1)..].ToString().Split(','))
        {
            var spec = part.Trim();
            if (spec.Length == 0)
            {
                continue;
            }

            if (++specs > MaxRanges)
            {
                return RangeOutcome.Full;
            }

            var dash = spec.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                return RangeOutcome.Full;
            }

            var first = spec[..dash].Trim();
            var last = spec[(dash + 1)..].Trim();
            if (first.Length == 0)
            {
                // suffix-range: the last N bytes.
                if (!TryDigits(last, out var suffix))
                {
                    return RangeOutcome.Full;
                }

                if (suffix > 0 && length > 0)
                {
                    list.Add(new ByteRange(Math.Max(0, length - suffix), length - 1));
                }
                else if (suffix > 0)
                {
                    // §14.1.1: satisfiable even for an empty representation, yet there is no
                    // byte to send in a 206.
                    emptySatisfiable = true;
                }

                continue;
            }

            if (!TryDigits(first, out var from))
            {
                return RangeOutcome.Full;
            }

            long to;
            if (last.Length == 0)
            {
                to = length - 1;
            }
            else if (!TryDigits(last, out to) || to < from)
            {
                return RangeOutcome.Full;
            }

            if (from < length)
            {
                list.Add(new ByteRange(from, Math.Min(to, length - 1)));
            }
        }

        if (specs == 0)
        {
            return RangeOutcome.Full;
        }

        if (list.Count == 0)
        {
            return emptySatisfiable ? RangeOutcome.Full : RangeOutcome.NotSatisfiable;
        }

        ranges = Coalesce(list);
        return RangeOutcome.Partial;
    }

    private static List<ByteRange> Coalesce(List<ByteRange> list)
    {
        if (list.Count == 1)
        {
            return list;
        }

        // Each range absorbs the earlier ones it overlaps or touches and takes the place of the
        // first of them, so the parts keep the order of first appearance.
        var merged = new List<ByteRange>();
        foreach (var range in list)
        {
            var current = range;
            var at = -1;
            for (var i = merged.Count - 1; i >= 0; i--)
            {
                var other = merged[i];
                if (current.From <= other.To + 1 && other.From <= current.To + 1)
                {
                    current = new ByteRange(Math.Min(current.From, other.From), Math.Max(current.To, other.To));
                    merged.RemoveAt(i);
                    at = i;
                }
            }

            merged.Insert(at < 0 ? merged.Count : at, current);
        }

        return merged;
    }

    /// <summary>
    /// Parses digits, saturating at <see cref="long.MaxValue"/>: §14.1.1 warns that positions
    /// may be larger than any integer type, and a huge position is still valid (it clamps to
    /// the representation's end, or lies beyond it).
    /// </summary>
    private static bool TryDigits(string text, out long value)
    {
        value = 0;
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            var digit = c - '0';
            value = value > (long.MaxValue - digit) / 10 ? long.MaxValue : (value * 10) + digit;
        }

        return true;
    }
}
