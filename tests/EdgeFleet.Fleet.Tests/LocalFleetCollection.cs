namespace EdgeFleet.Fleet.Tests;

/// <summary>The test classes that share one local fleet (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class LocalFleetCollection : ICollectionFixture<LocalFleetFixture>
{
    public const string Name = "local fleet";
}
