namespace EdgeFleet.Api.V1Alpha1;

/// <summary>What to invalidate; immutable once created.</summary>
public sealed record InvalidationSpec
{
    public LocalObjectReference EdgeCacheRef { get; init; } = new();

    public IReadOnlyList<string>? Urls { get; init; }

    public IReadOnlyList<string>? Prefixes { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary><see cref="InvalidationModes.Hard"/> or <see cref="InvalidationModes.Soft"/>.</summary>
    public string Mode { get; init; } = InvalidationModes.Hard;
}
