namespace EdgeFleet.Http;

/// <summary>Parsing of <c>delta-seconds</c> (RFC 9111 §1.2.2).</summary>
public static class DeltaSeconds
{
    /// <summary>
    /// The largest value a cache keeps: RFC 9111 §1.2.2 says a delta-seconds larger than the
    /// largest integer a recipient can represent is taken as 2^31.
    /// </summary>
    public const long Max = 2147483648L;

    /// <summary>
    /// Parses a non-negative decimal integer. Leading zeros and huge values are accepted (clamped
    /// to <see cref="Max"/>); anything else (signs, decimals, empty) is invalid.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out long seconds)
    {
        seconds = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        long value = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                seconds = 0;
                return false;
            }

            if (value < Max)
            {
                value = (value * 10) + (c - '0');
            }
        }

        seconds = Math.Min(value, Max);
        return true;
    }
}
