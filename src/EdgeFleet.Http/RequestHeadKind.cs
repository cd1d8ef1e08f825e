namespace EdgeFleet.Http;

/// <summary>What a server in front of a general HTTP server may do with a parsed request head.</summary>
public enum RequestHeadKind
{
    /// <summary>
    /// A plain HTTP/1.1 GET or HEAD without a body, in origin form, with one valid Host: a cache
    /// may answer it itself.
    /// </summary>
    Answerable,

    /// <summary>
    /// Well-formed and certainly without a body (no Content-Length, no Transfer-Encoding), but
    /// for the general server: other methods, HTTP/1.0, escaped or dotted paths, unusual fields.
    /// The message ends with its head, so the next request can still be read.
    /// </summary>
    Bodyless,

    /// <summary>
    /// Has a body, or is not plain enough to be sure where the message ends (obsolete line
    /// folding, bare line feeds, control characters): the rest of the connection belongs to the
    /// general server, which answers or refuses it by its own rules.
    /// </summary>
    Opaque,
}
