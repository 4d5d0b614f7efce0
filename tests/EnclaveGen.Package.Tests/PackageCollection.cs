namespace EnclaveGen.Package.Tests;

/// <summary>The package tests share one pack and one restore (PackageFixture) and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "Packages";
}
