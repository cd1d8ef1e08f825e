namespace EdgeFleet.Cache;

/// <summary>Where a storable origin body goes while it streams to the client: a memory buffer or a store writer.</summary>
internal interface IBodySink : IDisposable
{
    /// <summary>The body exceeded the cap or its announced length, or was abandoned; it will not be stored.</summary>
    bool Overflowed { get; }

    /// <summary>Whether the body is complete: as long as announced, or any length when none was.</summary>
    bool IsComplete { get; }

    ValueTask AppendAsync(ReadOnlyMemory<byte> data);

    /// <summary>Gives up on the body (the origin broke off): it will not be stored.</summary>
    void Abandon();
}
