namespace EdgeFleet.Http;

/// <summary>
/// The directives of a <c>Cache-Control</c> (or <c>CDN-Cache-Control</c>) field, parsed once
/// (RFC 9111 §5.2). Numeric directives hold <see langword="null"/> when absent or invalid. A
/// max-age or s-maxage whose argument is not a valid delta-seconds is recorded in
/// <see cref="HasInvalidFreshness"/>, so that the response can be treated as stale (RFC 9111
/// §4.2.1). Unknown directives are ignored (§5.2.3).
/// </summary>
public readonly record struct CacheControl
{
    /// <summary>No directives at all.</summary>
    public static readonly CacheControl Empty;

    public long? MaxAge { get; init; }
    public long? SharedMaxAge { get; init; }
    public long? MinFresh { get; init; }

    /// <summary><c>max-stale</c>: <see cref="long.MaxValue"/> when given without a value.</summary>
    public long? MaxStale { get; init; }
    public long? StaleWhileRevalidate { get; init; }
    public long? StaleIfError { get; init; }
    public bool NoStore { get; init; }

    /// <summary><c>no-cache</c>, with or without field names (both are treated alike: revalidate).</summary>
    public bool NoCache { get; init; }

    /// <summary><c>private</c>, with or without field names (a shared cache stores neither).</summary>
    public bool Private { get; init; }
    public bool Public { get; init; }
    public bool MustRevalidate { get; init; }
    public bool ProxyRevalidate { get; init; }
    public bool MustUnderstand { get; init; }
    public bool NoTransform { get; init; }
    public bool OnlyIfCached { get; init; }
    public bool Immutable { get; init; }

    /// <summary><c>max-age</c> or <c>s-maxage</c> had an argument that is not a delta-seconds.</summary>
    public bool HasInvalidFreshness { get; init; }

    /// <summary>Whether any directive was recognised.</summary>
    public bool IsPresent { get; init; }

    /// <summary>Parses the field lines of a Cache-Control-style field (each may hold a list).</summary>
    public static CacheControl Parse(IEnumerable<string?> fieldLines)
    {
        ArgumentNullException.ThrowIfNull(fieldLines);
        var builder = new Builder();
        foreach (var line in fieldLines)
        {
            if (!string.IsNullOrEmpty(line))
            {
                builder.ParseLine(line);
            }
        }

        return builder.Build();
    }

    /// <summary>Parses one field value.</summary>
    public static CacheControl Parse(string? fieldValue) =>
        string.IsNullOrEmpty(fieldValue) ? Empty : Parse([fieldValue]);

    private struct Builder
    {
        private long? _maxAge, _sMaxAge, _minFresh, _maxStale, _swr, _sie;
        private bool _noStore, _noCache, _private, _public, _mustRevalidate, _proxyRevalidate,
            _mustUnderstand, _noTransform, _onlyIfCached, _immutable, _invalid, _present;

        public void ParseLine(string line)
        {
            var rest = line.AsSpan();
            while (!rest.IsEmpty)
            {
                var name = ReadToken(ref rest);
                ReadOnlySpan<char> value = default;
                var hasValue = false;
                var before = rest.Length;
                SkipWhitespace(ref rest);
                var spaced = rest.Length != before;
                if (!rest.IsEmpty && rest[0] == '=')
                {
                    rest = rest[1..];
                    before = rest.Length;
                    SkipWhitespace(ref rest);
                    spaced |= rest.Length != before;
                    value = ReadValue(ref rest);

                    // §5.2: `directive=argument` has no whitespace around "="; "max-age = 60" is
                    // not a valid max-age, so its argument is not used (and max-age counts as
                    // invalid, making the response stale).
                    hasValue = !spaced;
                    if (spaced)
                    {
                        value = "?";
                        hasValue = true;
                    }
                }

                // Skip anything up to the next list separator (garbage inside one member).
                var comma = rest.IndexOf(',');
                rest = comma < 0 ? default : rest[(comma + 1)..];
                if (!name.IsEmpty)
                {
                    Apply(name, value, hasValue);
                }
            }
        }

        private void Apply(ReadOnlySpan<char> name, ReadOnlySpan<char> value, bool hasValue)
        {
            _present = true;
            if (Is(name, "max-age"))
            {
                _invalid |= !Seconds(ref _maxAge, value, hasValue);
            }
            else if (Is(name, "s-maxage"))
            {
                _invalid |= !Seconds(ref _sMaxAge, value, hasValue);
            }
            else if (Is(name, "no-store"))
            {
                _noStore = true;
            }
            else if (Is(name, "no-cache"))
            {
                _noCache = true;
            }
            else if (Is(name, "private"))
            {
                _private = true;
            }
            else if (Is(name, "public"))
            {
                _public = true;
            }
            else if (Is(name, "must-revalidate"))
            {
                _mustRevalidate = true;
            }
            else if (Is(name, "proxy-revalidate"))
            {
                _proxyRevalidate = true;
            }
            else if (Is(name, "must-understand"))
            {
                _mustUnderstand = true;
            }
            else if (Is(name, "no-transform"))
            {
                _noTransform = true;
            }
            else if (Is(name, "only-if-cached"))
            {
                _onlyIfCached = true;
            }
            else if (Is(name, "immutable"))
            {
                _immutable = true;
            }
            else if (Is(name, "min-fresh"))
            {
                _ = Seconds(ref _minFresh, value, hasValue);
            }
            else if (Is(name, "max-stale"))
            {
                // §5.2.1.2: without a value, any staleness is acceptable.
                if (!hasValue)
                {
                    _maxStale ??= long.MaxValue;
                }
                else
                {
                    _ = Seconds(ref _maxStale, value, hasValue);
                }
            }
            else if (Is(name, "stale-while-revalidate"))
            {
                _ = Seconds(ref _swr, value, hasValue);
            }
            else if (Is(name, "stale-if-error"))
            {
                _ = Seconds(ref _sie, value, hasValue);
            }
        }

        /// <summary>
        /// Reads a delta-seconds argument; false when it is missing or invalid. Only max-age and
        /// s-maxage carry the freshness lifetime (§4.2.1), so only their failures make the
        /// response stale; any other directive with a bad argument is simply not used.
        /// </summary>
        private static bool Seconds(ref long? field, ReadOnlySpan<char> value, bool hasValue)
        {
            if (!hasValue || !DeltaSeconds.TryParse(value, out var seconds))
            {
                return false;
            }

            // §4.2.1: with duplicates, the first occurrence is used.
            field ??= seconds;
            return true;
        }

        public readonly CacheControl Build() => new()
        {
            MaxAge = _maxAge,
            SharedMaxAge = _sMaxAge,
            MinFresh = _minFresh,
            MaxStale = _maxStale,
            StaleWhileRevalidate = _swr,
            StaleIfError = _sie,
            NoStore = _noStore,
            NoCache = _noCache,
            Private = _private,
            Public = _public,
            MustRevalidate = _mustRevalidate,
            ProxyRevalidate = _proxyRevalidate,
            MustUnderstand = _mustUnderstand,
            NoTransform = _noTransform,
            OnlyIfCached = _onlyIfCached,
            Immutable = _immutable,
            HasInvalidFreshness = _invalid,
            IsPresent = _present,
        };

        private static bool Is(ReadOnlySpan<char> name, string directive) =>
            name.Equals(directive, StringComparison.OrdinalIgnoreCase);

        private static void SkipWhitespace(scoped ref ReadOnlySpan<char> rest)
        {
            var i = 0;
            while (i < rest.Length && rest[i] is ' ' or '\t')
            {
                i++;
            }

            rest = rest[i..];
        }

        private static ReadOnlySpan<char> ReadToken(scoped ref ReadOnlySpan<char> rest)
        {
            SkipWhitespace(ref rest);
            var i = 0;
            while (i < rest.Length && rest[i] is not ('=' or ',' or ' ' or '\t'))
            {
                i++;
            }

            var token = rest[..i];
            rest = rest[i..];
            return token;
        }

        private static ReadOnlySpan<char> ReadValue(scoped ref ReadOnlySpan<char> rest)
        {
            if (!rest.IsEmpty && rest[0] == '"')
            {
                // A quoted-string; §5.2 asks recipients to accept it for token arguments too.
                var end = rest[1..].IndexOf('"');
                if (end < 0)
                {
                    var all = rest[1..];
                    rest = default;
                    return all;
                }

                var quoted = rest.Slice(1, end);
                rest = rest[(end + 2)..];
                return quoted;
            }

            var i = 0;
            while (i < rest.Length && rest[i] is not (',' or ' ' or '\t'))
            {
                i++;
            }

            var token = rest[..i];
            rest = rest[i..];
            return token;
        }
    }
}
