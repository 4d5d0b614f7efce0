using System.Formats.Cbor;
using System.Security.Cryptography;
using EnclaveGen.Attestation.Arm;

namespace EnclaveGen.Attestation.Tests.Arm;

/// <summary>Real TF-M PSA tokens (both profiles) verify with their IAK, and nothing else does.</summary>
public sealed class PsaTokenTests
{
    private static byte[] P2 => TestData.Bytes("arm/psa-token-p2-tfm.cbor");

    private static byte[] P1 => TestData.Bytes("arm/psa-token-p1-tfm.cbor");

    private static ECDsa Iak()
    {
        ECDsa key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(TestData.PathOf("arm/psa-iak-tfm.pub.pem")));
        return key;
    }

    [Fact]
    public void ARealProfile2TokenVerifiesWithTheClaimsItCarries()
    {
        using ECDsa iak = Iak();
        PsaTokenClaims claims = PsaToken.Verify(P2, iak);

        Assert.Equal(PsaTokenProfile.Profile2, claims.TokenProfile);
        Assert.Equal("http://arm.com/psa/2.0.0", claims.Profile);
        Assert.Equal(new byte[64], claims.Nonce.ToArray());
        Assert.Equal("01fa58755f658627ce5460f29b75296713248cae7ad9e2984b90280efcbcb50248", Convert.ToHexStringLower(claims.InstanceId.Span));
        Assert.Equal("aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccdddddddddddddddd", Convert.ToHexStringLower(claims.ImplementationId.Span));
        Assert.Equal(3002, claims.ClientId);
        Assert.Equal(0x3000, claims.SecurityLifecycle);
        Assert.Equal("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf", Convert.ToHexStringLower(claims.BootSeed!.Value.Span));
        Assert.Equal("0604565272829-10010", claims.CertificationReference);
        Assert.Equal("www.trustedfirmware.org", claims.VerificationService);
        Assert.Equal(["SPE", "NSPE"], claims.SoftwareComponents.Select(c => c.MeasurementType));
        Assert.Equal(["1.6.0", "0.0.0"], claims.SoftwareComponents.Select(c => c.Version));
        Assert.Equal("bfe6d86f8826f4ff97fb96c4e6fbc4993e4619fc565da26adf34c329489adc38", Convert.ToHexStringLower(claims.SoftwareComponents[0].SignerId!.Value.Span));
        Assert.Equal("96a2ec56c65120a60ce3a53ef8d2082233772aacd5b17935a92be12ac577f685", Convert.ToHexStringLower(claims.SoftwareComponents[0].MeasurementValue.Span));
    }

    [Fact]
    public void ARealProfile1TokenOfTheSameDeviceVerifiesWithTheSameIdentity()
    {
        using ECDsa iak = Iak();
        PsaTokenClaims p1 = PsaToken.Verify(P1, iak);
        PsaTokenClaims p2 = PsaToken.Verify(P2, iak);

        Assert.Equal(PsaTokenProfile.Profile1, p1.TokenProfile);
        Assert.Equal("PSA_IOT_PROFILE_1", p1.Profile);
        Assert.Equal(p2.InstanceId.ToArray(), p1.InstanceId.ToArray());
        Assert.Equal(p2.ImplementationId.ToArray(), p1.ImplementationId.ToArray());
        Assert.Equal("81e265884997ccc4fbb37738b99842bd6408dae6a02b4db709b1ac198840f05a", Convert.ToHexStringLower(p1.SoftwareComponents[0].MeasurementValue.Span));
    }

    [Fact]
    public void TheNonceIsComparedWhenTheCallerGivesIt()
    {
        using ECDsa iak = Iak();
        Assert.Equal(64, PsaToken.Verify(P2, iak, new byte[64]).Nonce.Length);
        EvidenceVerificationException error = Assert.Throws<EvidenceVerificationException>(() => PsaToken.Verify(P2, iak, Enumerable.Repeat((byte)1, 64).ToArray()));
        Assert.Equal("psa.nonce", error.Check);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(384)]
    public void AnotherKeyIsRefused(int bits)
    {
        using ECDsa other = ECDsa.Create(bits == 256 ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384);
        EvidenceVerificationException error = Assert.Throws<EvidenceVerificationException>(() => PsaToken.Verify(P2, other));
        Assert.Equal("psa.signature", error.Check);
    }

    [Fact]
    public void EveryOneByteChangeAndEveryTruncationIsATypedRefusal()
    {
        using ECDsa iak = Iak();
        byte[] token = P2;
        for (int i = 0; i < token.Length; i++)
        {
            byte[] tampered = (byte[])token.Clone();
            tampered[i] ^= 0x01;
            Assert.ThrowsAny<AttestationException>(() => PsaToken.Verify(tampered, iak));
            Assert.ThrowsAny<AttestationException>(() => PsaToken.Verify(token.AsSpan(0, i), iak));
        }
    }

    [Fact]
    public void AMissingMandatoryClaimOrAClaimTwiceIsAFormatErrorNamingIt()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] noNonce = ArmTokenBuilder.Sign(key, w => Claims(w, includeNonce: false), algorithm: -7);
        EvidenceFormatException missing = Assert.Throws<EvidenceFormatException>(() => PsaToken.Verify(noNonce, key));
        Assert.Contains("nonce", missing.Message, StringComparison.Ordinal);

        byte[] twice = ArmTokenBuilder.Sign(key, w => Claims(w, includeNonce: true, nonceTwice: true), algorithm: -7);
        EvidenceFormatException duplicate = Assert.Throws<EvidenceFormatException>(() => PsaToken.Verify(twice, key));
        Assert.Contains("appears twice", duplicate.Message, StringComparison.Ordinal);

        byte[] valid = ArmTokenBuilder.Sign(key, w => Claims(w, includeNonce: true), algorithm: -7);
        Assert.Equal(32, PsaToken.Verify(valid, key).Nonce.Length);
    }

    private static void Claims(CborWriter writer, bool includeNonce, bool nonceTwice = false)
    {
        writer.WriteStartMap(null);
        writer.WriteInt32(265); writer.WriteTextString("tag:psacertified.org,2023:psa#tfm");
        writer.WriteInt32(256); writer.WriteByteString([0x01, .. new byte[32]]);
        writer.WriteInt32(2396); writer.WriteByteString(new byte[32]);
        writer.WriteInt32(2394); writer.WriteInt32(-1);
        writer.WriteInt32(2395); writer.WriteInt32(0x3000);
        writer.WriteInt32(2399); writer.WriteStartArray(1); writer.WriteStartMap(1); writer.WriteInt32(2); writer.WriteByteString(new byte[32]); writer.WriteEndMap(); writer.WriteEndArray();
        for (int i = 0; includeNonce && i < (nonceTwice ? 2 : 1); i++)
        {
            writer.WriteInt32(10); writer.WriteByteString(new byte[32]);
        }

        writer.WriteEndMap();
    }
}
