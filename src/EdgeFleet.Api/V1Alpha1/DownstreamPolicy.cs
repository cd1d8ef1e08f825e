namespace EdgeFleet.Api.V1Alpha1;

/// <summary>What the edge tells browsers and proxies about responses of some content types.</summary>
public sealed record DownstreamPolicy
{
    /// <summary>Media types or ranges, e.g. <c>image/*</c>.</summary>
    public IReadOnlyList<string> ContentTypes { get; init; } = [];

    /// <summary>The Cache-Control field value, e.g. <c>public, max-age=2419200</c>.</summary>
    public string CacheControl { get; init; } = "";

    /// <summary>When set, Expires is sent as response time plus this Go duration.</summary>
    public string? Expires { get; init; }
}
