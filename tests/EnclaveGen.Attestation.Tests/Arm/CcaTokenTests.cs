using System.Security.Cryptography;
using System.Text;
using EnclaveGen.Attestation.Arm;

namespace EnclaveGen.Attestation.Tests.Arm;

/// <summary>A real TF-RMM CCA token verifies with its CPAK; a realm the platform did not vouch for, another key or a changed byte do not.</summary>
public sealed class CcaTokenTests
{
    private static byte[] Token => TestData.Bytes("arm/cca-token-tf-rmm.cbor");

    private static ECDsa Cpak()
    {
        ECDsa key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(TestData.PathOf("arm/cca-cpak-tf-rmm.pub.pem")));
        return key;
    }

    [Fact]
    public void ARealTokenVerifiesWithTheClaimsOfBothParts()
    {
        using ECDsa cpak = Cpak();
        CcaTokenClaims claims = CcaToken.Verify(Token, cpak);

        Assert.Equal("http://arm.com/CCA-SSD/1.0.0", claims.Platform.Profile);
        Assert.Equal("b5973cb68baa9fc55558786b7ec67f69e40df5ba5aa921cd0c27f40587a011ea", Convert.ToHexStringLower(claims.Platform.Challenge.Span));
        Assert.Equal(SHA256.HashData(claims.Realm.PublicKey.Span), claims.Platform.Challenge.ToArray());
        Assert.Equal("7f454c4602010100000000000000000003003e00010000005058000000000000", Convert.ToHexStringLower(claims.Platform.ImplementationId.Span));
        Assert.Equal(12291, claims.Platform.SecurityLifecycle);
        Assert.Equal(["BL", "M1", "M2", "M3"], claims.Platform.SoftwareComponents.Select(c => c.MeasurementType));
        Assert.Equal("whatever.com", claims.Platform.VerificationService);

        Assert.Equal(Enumerable.Repeat((byte)0xab, 64), claims.Realm.Challenge.ToArray());
        Assert.Equal("The quick brown fox jumps over 13 lazy dogs.The quick brown fox ", Encoding.ASCII.GetString(claims.Realm.PersonalizationValue.Span));
        Assert.Equal(new byte[32], claims.Realm.InitialMeasurement.ToArray());
        Assert.Equal(4, claims.Realm.ExtensibleMeasurements.Count);
        Assert.Equal(97, claims.Realm.PublicKey.Length);
        Assert.Equal("sha-256", claims.Realm.PublicKeyHashAlgorithm);
    }

    [Fact]
    public void TheRealmChallengeIsComparedWhenTheCallerGivesIt()
    {
        using ECDsa cpak = Cpak();
        CcaToken.Verify(Token, cpak, Enumerable.Repeat((byte)0xab, 64).ToArray());
        Assert.Equal("cca.challenge", Assert.Throws<EvidenceVerificationException>(() => CcaToken.Verify(Token, cpak, new byte[64])).Check);
    }

    [Fact]
    public void AnotherPlatformKeyIsRefused()
    {
        using ECDsa other = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Equal("cca.platform-signature", Assert.Throws<EvidenceVerificationException>(() => CcaToken.Verify(Token, other)).Check);
    }

    [Fact]
    public void ARealmTokenSignedByAKeyThePlatformDidNotVouchForIsRefused()
    {
        // The host keeps the genuine platform token and swaps in a realm it controls, properly self-signed.
        using ECDsa cpak = Cpak();
        using ECDsa rogueRak = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        (byte[] platform, _) = ArmTokenBuilder.Split(Token);
        byte[] rogueRealm = ArmTokenBuilder.Sign(rogueRak, w => ArmTokenBuilder.RealmClaims(w, ArmTokenBuilder.UncompressedPoint(rogueRak), new byte[64]));

        EvidenceVerificationException error = Assert.Throws<EvidenceVerificationException>(() => CcaToken.Verify(ArmTokenBuilder.Collection(platform, rogueRealm), cpak));
        Assert.Equal("cca.rak-binding", error.Check);
    }

    [Fact]
    public void ARealmTokenNotSignedByTheKeyItCarriesIsRefused()
    {
        using ECDsa cpak = Cpak();
        using ECDsa signer = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        (byte[] platform, byte[] realm) = ArmTokenBuilder.Split(Token);
        byte[] genuineRak = CcaToken.Verify(Token, cpak).Realm.PublicKey.ToArray();
        byte[] forged = ArmTokenBuilder.Sign(signer, w => ArmTokenBuilder.RealmClaims(w, genuineRak, new byte[64]));

        Assert.Equal("cca.realm-signature", Assert.Throws<EvidenceVerificationException>(() => CcaToken.Verify(ArmTokenBuilder.Collection(platform, forged), cpak)).Check);
        Assert.NotEmpty(realm);
    }

    [Fact]
    public void ATokenWithTheRakAsACoseKeyVerifies()
    {
        using ECDsa cpak = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using ECDsa rak = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        byte[] coseKey = ArmTokenBuilder.CoseKey(rak);
        byte[] realm = ArmTokenBuilder.Sign(rak, w => ArmTokenBuilder.RealmClaims(w, coseKey, new byte[64]));
        byte[] platform = ArmTokenBuilder.Sign(cpak, w => ArmTokenBuilder.PlatformClaims(w, SHA256.HashData(coseKey)));

        CcaTokenClaims claims = CcaToken.Verify(ArmTokenBuilder.Collection(platform, realm), cpak);
        Assert.Equal(coseKey, claims.Realm.PublicKey.ToArray());
        Assert.Equal("tag:arm.com,2023:cca_platform#1.0.0", claims.Platform.Profile);
    }

    [Fact]
    public void EveryOneByteChangeAndEveryTruncationIsATypedRefusal()
    {
        using ECDsa cpak = Cpak();
        byte[] token = Token;
        for (int i = 0; i < token.Length; i++)
        {
            byte[] tampered = (byte[])token.Clone();
            tampered[i] ^= 0x01;
            Assert.ThrowsAny<AttestationException>(() => CcaToken.Verify(tampered, cpak));
            Assert.ThrowsAny<AttestationException>(() => CcaToken.Verify(token.AsSpan(0, i), cpak));
        }
    }

    [Fact]
    public void APsaTokenIsNotACcaToken()
    {
        using ECDsa cpak = Cpak();
        Assert.False(CcaToken.LooksLikeCcaToken(TestData.Bytes("arm/psa-token-p2-tfm.cbor")));
        Assert.True(CcaToken.LooksLikeCcaToken(Token));
        Assert.Throws<EvidenceFormatException>(() => CcaToken.Verify(TestData.Bytes("arm/psa-token-p2-tfm.cbor"), cpak));
    }
}
