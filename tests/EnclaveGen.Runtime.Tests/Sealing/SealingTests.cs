using System.Buffers.Binary;
using System.Text.Json.Serialization;
using EnclaveGen.Runtime.Sealing;

namespace EnclaveGen.Runtime.Tests.Sealing;

public sealed class SealingTests : IDisposable
{
    private static readonly EnclaveHash s_enclaveA = EnclaveHash.Compute("enclave A"u8);
    private static readonly EnclaveHash s_enclaveB = EnclaveHash.Compute("enclave B"u8);
    private static readonly EnclaveHash s_signer = EnclaveHash.Compute("signer"u8);
    private static readonly EnclaveHash s_otherSigner = EnclaveHash.Compute("other signer"u8);

    private readonly EnclavePlatform _platform = EnclavePlatform.CreateInMemory();

    public void Dispose() => _platform.Dispose();

    public static TheoryData<SealingPolicy, int> PolicyAndSvnChange => new()
    {
        { SealingPolicy.MrEnclave, 0 },
        { SealingPolicy.MrEnclave, -1 },
        { SealingPolicy.MrEnclave, +1 },
        { SealingPolicy.MrSigner, 0 },
        { SealingPolicy.MrSigner, -1 },
        { SealingPolicy.MrSigner, +1 },
    };

    /// <summary>
    /// The same enclave (same MRENCLAVE and signer) at SVN 5 seals; an instance at SVN 5 + change
    /// unseals. Same or higher opens it; lower is refused, naming the policy and both SVNs.
    /// </summary>
    [Theory]
    [MemberData(nameof(PolicyAndSvnChange))]
    public void EachPolicyOpensAtTheSameOrAHigherSvnButNeverALowerOne(SealingPolicy policy, int svnChange)
    {
        byte[] blob = Service(s_enclaveA, s_signer, svn: 5).Seal("secret"u8, policy);
        SealingService reader = Service(s_enclaveA, s_signer, svn: (ushort)(5 + svnChange));

        if (svnChange >= 0)
        {
            Assert.Equal("secret"u8.ToArray(), reader.Unseal(blob));
            return;
        }

        // A reader at a lower SVN is an older version: rollback protection refuses it.
        EnclaveSealingException error = Assert.Throws<EnclaveSealingException>(() => reader.Unseal(blob));
        Assert.Equal(SealingFailure.HigherSecurityVersion, error.Reason);
        Assert.Equal(policy, error.Policy);
        Assert.Contains(policy == SealingPolicy.MrEnclave ? "policy MRENCLAVE" : "policy MRSIGNER", error.Message, StringComparison.Ordinal);
        Assert.Contains("(SVN) 5", error.Message, StringComparison.Ordinal);
        Assert.Equal("4", error.Actual);
    }

    [Fact]
    public void MrSignerSealedDataOpensInAnotherEnclaveOfTheSameSignerAndProduct()
    {
        byte[] blob = Service(s_enclaveA, s_signer, productId: 3).Seal("shared"u8, SealingPolicy.MrSigner);
        Assert.Equal("shared"u8.ToArray(), Service(s_enclaveB, s_signer, productId: 3).Unseal(blob));
    }

    [Fact]
    public void AnotherEnclaveCannotOpenMrEnclaveSealedDataAndIsToldWhy()
    {
        byte[] blob = Service(s_enclaveA, s_signer).Seal("mine"u8, SealingPolicy.MrEnclave);
        EnclaveSealingException error = Assert.Throws<EnclaveSealingException>(() => Service(s_enclaveB, s_signer).Unseal(blob));
        Assert.Equal(SealingFailure.AnotherEnclave, error.Reason);
        Assert.Equal(SealingPolicy.MrEnclave, error.Policy);
        Assert.Equal(s_enclaveA.ToString(), error.Expected);
        Assert.Equal(s_enclaveB.ToString(), error.Actual);
        Assert.Contains("policy MRENCLAVE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherSignerCannotOpenMrSignerSealedData()
    {
        byte[] blob = Service(s_enclaveA, s_signer).Seal("mine"u8, SealingPolicy.MrSigner);
        EnclaveSealingException error = Assert.Throws<EnclaveSealingException>(() => Service(s_enclaveA, s_otherSigner).Unseal(blob));
        Assert.Equal(SealingFailure.AnotherSigner, error.Reason);
        Assert.Equal(SealingPolicy.MrSigner, error.Policy);
        Assert.Equal(s_signer.ToString(), error.Expected);
        Assert.Equal(s_otherSigner.ToString(), error.Actual);
        Assert.Contains("policy MRSIGNER", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherProductOfTheSameSignerCannotOpenIt()
    {
        byte[] blob = Service(s_enclaveA, s_signer, productId: 1).Seal("mine"u8, SealingPolicy.MrSigner);
        EnclaveSealingException error = Assert.Throws<EnclaveSealingException>(() => Service(s_enclaveB, s_signer, productId: 2).Unseal(blob));
        Assert.Equal(SealingFailure.AnotherProduct, error.Reason);
        Assert.Equal(("1", "2"), (error.Expected, error.Actual));
    }

    [Theory]
    [InlineData(SealingPolicy.MrEnclave)]
    [InlineData(SealingPolicy.MrSigner)]
    public void AnotherPlatformCannotOpenItWithEitherPolicy(SealingPolicy policy)
    {
        byte[] blob = Service(s_enclaveA, s_signer).Seal("mine"u8, policy);
        using EnclavePlatform other = EnclavePlatform.CreateInMemory();
        EnclaveSealingException error = Assert.Throws<EnclaveSealingException>(() => new SealingService(other, Identity(s_enclaveA, s_signer)).Unseal(blob));
        Assert.Equal(SealingFailure.AnotherPlatform, error.Reason);
        Assert.Equal(policy, error.Policy);
        Assert.Equal(_platform.PlatformId, error.Expected);
        Assert.Equal(other.PlatformId, error.Actual);
    }

    [Fact]
    public void APlatformWithTheSameRootKeyOpensIt()
    {
        byte[] root = new byte[32];
        root[0] = 42;
        using EnclavePlatform first = EnclavePlatform.CreateInMemory(root);
        using EnclavePlatform second = EnclavePlatform.CreateInMemory(root);
        byte[] blob = new SealingService(first, Identity(s_enclaveA, s_signer)).Seal("kept"u8, SealingPolicy.MrEnclave);
        Assert.Equal(first.PlatformId, second.PlatformId);
        Assert.Equal("kept"u8.ToArray(), new SealingService(second, Identity(s_enclaveA, s_signer)).Unseal(blob));
    }

    [Fact]
    public void DebugAndProductionEnclavesDoNotShareSealedData()
    {
        byte[] fromProduction = Service(s_enclaveA, s_signer, debug: false).Seal("prod"u8, SealingPolicy.MrSigner);
        byte[] fromDebug = Service(s_enclaveA, s_signer, debug: true).Seal("debug"u8, SealingPolicy.MrSigner);
        Assert.Equal(SealingFailure.DebugMismatch, Assert.Throws<EnclaveSealingException>(() => Service(s_enclaveA, s_signer, debug: true).Unseal(fromProduction)).Reason);
        Assert.Equal(SealingFailure.DebugMismatch, Assert.Throws<EnclaveSealingException>(() => Service(s_enclaveA, s_signer, debug: false).Unseal(fromDebug)).Reason);
    }

    [Fact]
    public void AdditionalDataMustMatch()
    {
        SealingService service = Service(s_enclaveA, s_signer);
        byte[] blob = service.Seal("row"u8, SealingPolicy.MrSigner, "record 17"u8);
        Assert.Equal("row"u8.ToArray(), service.Unseal(blob, "record 17"u8));
        EnclaveSealingException error = Assert.Throws<EnclaveSealingException>(() => service.Unseal(blob, "record 18"u8));
        Assert.Equal(SealingFailure.AuthenticationFailed, error.Reason);
        Assert.Equal(SealingPolicy.MrSigner, error.Policy);
        Assert.Contains("additional authenticated data", error.Message, StringComparison.Ordinal);
        Assert.Equal(SealingFailure.AuthenticationFailed, Assert.Throws<EnclaveSealingException>(() => service.Unseal(blob)).Reason);
    }

    [Fact]
    public void EverySingleBitFlipOfASealedBlobIsRejected()
    {
        SealingService service = Service(s_enclaveA, s_signer, svn: 2);
        byte[] blob = service.Seal("tiny"u8, SealingPolicy.MrSigner, "aad"u8);
        HashSet<SealingFailure> seen = [];
        for (int bit = 0; bit < blob.Length * 8; bit++)
        {
            byte[] flipped = blob.ToArray();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            EnclaveSealingException error = Assert.Throws<EnclaveSealingException>(() => service.Unseal(flipped, "aad"u8));
            seen.Add(error.Reason);
        }

        Assert.Equal("tiny"u8.ToArray(), service.Unseal(blob, "aad"u8));
        Assert.Contains(SealingFailure.AuthenticationFailed, seen);
        Assert.Contains(SealingFailure.NotSealedData, seen);
        Assert.Contains(SealingFailure.AnotherPlatform, seen);
    }

    [Fact]
    public void EveryTruncationIsReportedAsTruncated()
    {
        SealingService service = Service(s_enclaveA, s_signer);
        byte[] blob = service.Seal("some sealed data"u8, SealingPolicy.MrEnclave);
        for (int length = 1; length < blob.Length; length++)
        {
            EnclaveSealingException error = Assert.Throws<EnclaveSealingException>(() => service.Unseal(blob.AsSpan(0, length)));
            Assert.Equal(SealingFailure.Truncated, error.Reason);
            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EmptyForeignAndOverlongBlobsGetClearErrors()
    {
        SealingService service = Service(s_enclaveA, s_signer);
        byte[] blob = service.Seal("x"u8, SealingPolicy.MrEnclave);
        Assert.Equal(SealingFailure.Empty, Assert.Throws<EnclaveSealingException>(() => service.Unseal([])).Reason);
        Assert.Equal(SealingFailure.NotSealedData, Assert.Throws<EnclaveSealingException>(() => service.Unseal("hello, this is not sealed"u8)).Reason);
        Assert.Equal(SealingFailure.Malformed, Assert.Throws<EnclaveSealingException>(() => service.Unseal([.. blob, 0])).Reason);
        byte[] future = blob.ToArray();
        future[4] = 3;
        Assert.Equal(SealingFailure.UnsupportedVersion, Assert.Throws<EnclaveSealingException>(() => service.Unseal(future)).Reason);
    }

    [Fact]
    public void TheBlobLayoutIsTheDocumentedOne()
    {
        SealingService service = Service(s_enclaveA, s_signer, productId: 0x0102, svn: 0x0304, debug: false);
        byte[] blob = service.Seal(new byte[10], SealingPolicy.MrSigner);

        Assert.Equal(108 + 10 + 16, blob.Length);
        Assert.Equal("EGSB"u8.ToArray(), blob[..4]);
        Assert.Equal(1, blob[4]);
        Assert.Equal(2, blob[5]);
        Assert.Equal(0, blob[6]);
        Assert.Equal(0, blob[7]);
        Assert.Equal(_platform.PlatformId, Convert.ToHexStringLower(blob.AsSpan(8, 16)));
        Assert.Equal(s_signer.ToArray(), blob[24..56]);
        Assert.Equal(0x0102, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(56)));
        Assert.Equal(0x0304, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(58)));
        Assert.Equal(10u, BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(104)));

        SealedBlobHeader header = SealedBlobHeader.Read(blob);
        Assert.Equal(blob[60..92], header.KeyId);
        Assert.Equal(blob[92..104], header.Nonce);
        Assert.Equal(SealingPolicy.MrSigner, header.Policy);
    }

    [Fact]
    public void EveryBlobHasItsOwnKeyIdAndNonce()
    {
        SealingService service = Service(s_enclaveA, s_signer);
        SealedBlobHeader first = SealedBlobHeader.Read(service.Seal("same"u8, SealingPolicy.MrEnclave));
        SealedBlobHeader second = SealedBlobHeader.Read(service.Seal("same"u8, SealingPolicy.MrEnclave));
        Assert.NotEqual(first.KeyId, second.KeyId);
        Assert.NotEqual(first.Nonce, second.Nonce);
    }

    [Fact]
    public void StringsAndSerializableValuesRoundTrip()
    {
        SealingService service = Service(s_enclaveA, s_signer);
        Assert.Equal("pässwörd ✓", service.UnsealString(service.SealString("pässwörd ✓", SealingPolicy.MrSigner)));
        Account account = new("alice", 42, ["a", "b"]);
        Account? opened = service.UnsealValue(service.SealValue(account, TestJson.Default.Account, SealingPolicy.MrEnclave, "acct"u8), TestJson.Default.Account, "acct"u8);
        Assert.NotNull(opened);
        Assert.Equal(account.Name, opened.Name);
        Assert.Equal(account.Balance, opened.Balance);
        Assert.Equal(account.Tags, opened.Tags);
        Assert.Empty(service.Unseal(service.Seal([], SealingPolicy.MrSigner)));
    }

    /// <summary>
    /// The upgrade path: version 1 (SVN 1) seals under both policies; version 2 (new code, so a new
    /// MRENCLAVE; same signer and product; SVN 2) opens the MRSIGNER blob, and the MRENCLAVE blob
    /// fails with a message that says to re-seal under MRSIGNER before upgrading. Version 1 cannot
    /// open what version 2 seals.
    /// </summary>
    [Fact]
    public void UpgradePathKeepsMrSignerDataAndExplainsMrEnclaveData()
    {
        SealingService version1 = Service(s_enclaveA, s_signer, productId: 9, svn: 1, debug: false);
        byte[] portable = version1.SealString("customer keys", SealingPolicy.MrSigner);
        byte[] pinned = version1.SealString("session cache", SealingPolicy.MrEnclave);

        SealingService version2 = Service(s_enclaveB, s_signer, productId: 9, svn: 2, debug: false);
        Assert.Equal("customer keys", version2.UnsealString(portable));
        EnclaveSealingException error = Assert.Throws<EnclaveSealingException>(() => version2.UnsealString(pinned));
        Assert.Equal(SealingFailure.AnotherEnclave, error.Reason);
        Assert.Contains("re-seal it under SealingPolicy.MrSigner before upgrading", error.Message, StringComparison.Ordinal);

        // Version 2 re-seals at its SVN; a rollback to version 1 cannot read it.
        byte[] resealed = version2.SealString("customer keys", SealingPolicy.MrSigner);
        Assert.Equal(SealingFailure.HigherSecurityVersion, Assert.Throws<EnclaveSealingException>(() => version1.UnsealString(resealed)).Reason);
    }

    [Fact]
    public void SealedFilesRoundTrip()
    {
        string folder = Directory.CreateTempSubdirectory("egseal").FullName;
        try
        {
            SealingService service = Service(s_enclaveA, s_signer);
            string path = Path.Combine(folder, "state.sealed");
            service.SealToFile(path, "v1"u8, SealingPolicy.MrSigner, "state"u8);
            service.SealToFile(path, "v2"u8, SealingPolicy.MrSigner, "state"u8);
            Assert.Equal("v2"u8.ToArray(), service.UnsealFile(path, "state"u8));
            Assert.Equal([path], Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private SealingService Service(EnclaveHash mrenclave, EnclaveHash mrsigner, ushort productId = 0, ushort svn = 0, bool debug = false)
        => new(_platform, Identity(mrenclave, mrsigner, productId, svn, debug));

    private static EnclaveIdentity Identity(EnclaveHash mrenclave, EnclaveHash mrsigner, ushort productId = 0, ushort svn = 0, bool debug = false)
        => EnclaveIdentity.CreateForTesting("Tests.Vault", mrenclave, mrsigner, productId, svn, debug);
}

public sealed record Account(string Name, long Balance, List<string> Tags);

[JsonSerializable(typeof(Account))]
internal sealed partial class TestJson : JsonSerializerContext;
