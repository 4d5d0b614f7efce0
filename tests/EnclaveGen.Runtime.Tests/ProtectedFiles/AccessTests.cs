using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen.Runtime.Tests.ProtectedFiles;

/// <summary>
/// A file's keys come from sealing: its policy decides which enclaves open it, with the sealing
/// rules for the security version, and a file keeps the policy it was created with.
/// </summary>
public sealed class AccessTests : ProtectedFileFixture
{
    [Fact]
    public void AFileCreatedUnderMrSignerIsNotOpenedAsMrEnclave()
    {
        WriteFile("a.db", "x"u8.ToArray(), policy: SealingPolicy.MrSigner);

        ProtectedFileException error = Refused(() => ReadFile("a.db", policy: SealingPolicy.MrEnclave));

        Assert.Equal(ProtectedFileFailure.PolicyMismatch, error.Reason);
        Assert.Equal("MRSIGNER", error.Expected);
        Assert.Equal("MRENCLAVE", error.Actual);
    }

    [Fact]
    public void AnMrEnclaveFileOpensOnlyInThatEnclave()
    {
        WriteFile("a.db", "mine"u8.ToArray(), policy: SealingPolicy.MrEnclave);

        Assert.Equal("mine"u8.ToArray(), ReadFile("a.db", policy: SealingPolicy.MrEnclave));
        ProtectedFileException error = Refused(() => ReadFile("a.db", Identity(mrenclave: EnclaveB), SealingPolicy.MrEnclave));
        Assert.Equal(ProtectedFileFailure.AccessDenied, error.Reason);
        Assert.Equal(SealingFailure.AnotherEnclave, error.SealingReason);
    }

    [Fact]
    public void AnMrSignerFileOpensInAnotherEnclaveOfTheSignerButNotOfAnotherSigner()
    {
        WriteFile("a.db", "shared"u8.ToArray());

        Assert.Equal("shared"u8.ToArray(), ReadFile("a.db", Identity(mrenclave: EnclaveB)));
        ProtectedFileException error = Refused(() => ReadFile("a.db", Identity(mrsigner: EnclaveHash.Compute("another signer"u8))));
        Assert.Equal(ProtectedFileFailure.AccessDenied, error.Reason);
        Assert.Equal(SealingFailure.AnotherSigner, error.SealingReason);
    }

    [Fact]
    public void ALowerSecurityVersionCannotOpenAndAHigherOneMovesTheFileUp()
    {
        WriteFile("a.db", "at svn 3"u8.ToArray(), identity: Identity(svn: 3));

        ProtectedFileException lower = Refused(() => ReadFile("a.db", Identity(svn: 2)));
        Assert.Equal(ProtectedFileFailure.AccessDenied, lower.Reason);
        Assert.Equal(SealingFailure.HigherSecurityVersion, lower.SealingReason);

        // A patched version reads it, and its first commit seals the header at its own SVN: the old version is locked out.
        using (ProtectedFileStream stream = Service(Identity(svn: 4)).Open("a.db", FileMode.Open, SealingPolicy.MrSigner))
        {
            stream.Position = stream.Length;
            stream.Write(", then 4"u8);
        }

        Assert.Equal("at svn 3, then 4"u8.ToArray(), ReadFile("a.db", Identity(svn: 4)));
        Assert.Equal(SealingFailure.HigherSecurityVersion, Refused(() => ReadFile("a.db", Identity(svn: 3))).SealingReason);
    }

    [Fact]
    public void DebugAndProductionEnclavesDoNotShareFiles()
    {
        WriteFile("a.db", "debug"u8.ToArray(), identity: Identity(debug: true));

        ProtectedFileException error = Refused(() => ReadFile("a.db", Identity(debug: false)));

        Assert.Equal(SealingFailure.DebugMismatch, error.SealingReason);
    }

    [Fact]
    public void AnotherPlatformCannotOpen()
    {
        WriteFile("a.db", "here"u8.ToArray());
        using EnclavePlatform elsewhere = EnclavePlatform.CreateInMemory();

        ProtectedFileException error = Refused(() => ReadFile("a.db", service: Service(platform: elsewhere)));

        Assert.Equal(SealingFailure.AnotherPlatform, error.SealingReason);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("name with space")]
    public void ANameThatCouldLeaveTheStorageIsRefusedBeforeAnythingCrosses(string name)
    {
        Assert.Throws<ArgumentException>(() => Service().Open(name, FileMode.Create, SealingPolicy.MrSigner));
        Assert.Equal(0, Storage.Operations);
    }

    [Fact]
    public void ModesBehaveAsForFileStream()
    {
        Assert.Equal(ProtectedFileFailure.NotFound, Refused(() => Service().Open("m.db", FileMode.Open, SealingPolicy.MrSigner)).Reason);
        WriteFile("m.db", "one"u8.ToArray());
        Assert.Equal(ProtectedFileFailure.AlreadyExists, Refused(() => Service().Open("m.db", FileMode.CreateNew, SealingPolicy.MrSigner)).Reason);
        using (ProtectedFileStream truncated = Service().Open("m.db", FileMode.Truncate, SealingPolicy.MrSigner))
        {
            Assert.Equal(0, truncated.Length);
        }

        Assert.Empty(ReadFile("m.db"));
        Assert.Throws<ArgumentException>(() => Service().Open("m.db", FileMode.Create, FileAccess.Read, SealingPolicy.MrSigner));
        using ProtectedFileStream reader = Service().Open("m.db", FileMode.Open, FileAccess.Read, SealingPolicy.MrSigner);
        Assert.False(reader.CanWrite);
        Assert.Throws<NotSupportedException>(() => reader.Write("no"u8));
    }
}
