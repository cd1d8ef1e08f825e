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
    /// <see cref="RangeOutcome.Full"/>, as §14.2 permits ignoring Range; overlapping ranges are
    /// coalesced (§14.2 "a server MAY coalesce").
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
            return RangeOutcome.NotSatisfiable;
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

        var sorted = list.OrderBy(r => r.From).ToList();
        var merged = new List<ByteRange> { sorted[0] };
        foreach (var r in sorted.Skip(1))
        {
            var lastRange = merged[^1];
            if (r.From <= lastRange.To + 1)
            {
                merged[^1] = lastRange with { To = Math.Max(lastRange.To, r.To) };
            }
            else
            {
                merged.Add(r);
            }
        }

        return merged;
    }

    private static bool TryDigits(string text, out long value)
    {
        value = 0;
        if (text.Length is 0 or > 18)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
