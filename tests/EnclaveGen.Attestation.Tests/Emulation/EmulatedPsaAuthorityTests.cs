using System.Security.Cryptography;
using EnclaveGen.Attestation.Arm;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Tests.Emulation;

/// <summary>
/// Emulated PSA tokens (the trustzone-emulated profile's evidence): the real PSA verifier checks
/// them with the emulated IAK, reports them emulated and refuses them unless told otherwise, and
/// refuses every changed or truncated copy.
/// </summary>
public sealed class EmulatedPsaAuthorityTests
{
    private static readonly byte[] s_seed = SHA256.HashData("emulated psa authority tests"u8);
    private static readonly EmulatedPsaAuthority s_authority = EmulatedPsaAuthority.Create(s_seed);

    private static SgxReportBody Enclave(bool debug, byte[]? reportData = null) => new()
    {
        Attributes = new SgxAttributes(SgxAttributes.Init | SgxAttributes.Mode64Bit | (debug ? SgxAttributes.Debug : 0), 3),
        MrEnclave = SHA256.HashData("the enclave"u8),
        MrSigner = SHA256.HashData("its signer"u8),
        IsvProdId = 7,
        IsvSvn = 3,
        ReportData = reportData ?? SHA512.HashData("bound"u8),
    };

    [Fact]
    public void ATokenVerifiesWithTheEmulatedIakAndCarriesTheTrustedApplication()
    {
        SgxReportBody enclave = Enclave(debug: false);
        using ECDsa iak = s_authority.CreateAttestationPublicKey();

        PsaTokenClaims claims = PsaToken.Verify(s_authority.CreateToken(enclave), iak, enclave.ReportData.Span, allowEmulated: true);

        Assert.True(claims.IsEmulated);
        Assert.Equal(PsaTokenProfile.Profile2, claims.TokenProfile);
        Assert.Equal("http://arm.com/psa/2.0.0", claims.Profile);
        Assert.Equal(enclave.ReportData.ToArray(), claims.Nonce.ToArray());
        Assert.Equal([0x01, .. SHA256.HashData(iak.ExportSubjectPublicKeyInfo())], claims.InstanceId.ToArray());
        Assert.Equal(SHA256.HashData("EnclaveGen EMULATED PSA implementation - no hardware protection"u8), claims.ImplementationId.ToArray());
        Assert.Equal(0x3000, claims.SecurityLifecycle);
        Assert.Equal(32, claims.BootSeed!.Value.Length);
        Assert.Equal(["TEE", "TA"], claims.SoftwareComponents.Select(c => c.MeasurementType));
        PsaSoftwareComponent application = claims.SoftwareComponents[1];
        Assert.Equal(enclave.MrEnclave.ToArray(), application.MeasurementValue.ToArray());
        Assert.Equal(enclave.MrSigner.ToArray(), application.SignerId!.Value.ToArray());
        Assert.Equal("7.3", application.Version);
        Assert.Equal("sha-256", application.MeasurementDescription);
        Assert.Equal("psa", EvidenceFormat.PsaToken.Family);
    }

    [Fact]
    public void ADebugEnclaveIsInTheDebugLifecycle()
    {
        using ECDsa iak = s_authority.CreateAttestationPublicKey();
        Assert.Equal(EmulatedPsaAuthority.LifecycleNonPsaRotDebug, PsaToken.Verify(s_authority.CreateToken(Enclave(debug: true)), iak, allowEmulated: true).SecurityLifecycle);
    }

    [Fact]
    public void WithoutAllowEmulatedTheTokenIsRefusedAndARealTokenIsNotEmulated()
    {
        using ECDsa iak = s_authority.CreateAttestationPublicKey();
        EvidenceVerificationException refused = Assert.Throws<EvidenceVerificationException>(() => PsaToken.Verify(s_authority.CreateToken(Enclave(debug: false)), iak));
        Assert.Equal("psa.emulated", refused.Check);
        Assert.Contains("emulated", refused.Message, StringComparison.Ordinal);

        using ECDsa tfm = ECDsa.Create();
        tfm.ImportFromPem(File.ReadAllText(TestData.PathOf("arm/psa-iak-tfm.pub.pem")));
        Assert.False(PsaToken.Verify(TestData.Bytes("arm/psa-token-p2-tfm.cbor"), tfm).IsEmulated);
    }

    [Fact]
    public void TheIakIsAFunctionOfTheSeed()
    {
        using EmulatedPsaAuthority same = EmulatedPsaAuthority.Create(s_seed);
        using EmulatedPsaAuthority other = EmulatedPsaAuthority.Create(SHA256.HashData("another platform"u8));

        Assert.Equal(s_authority.AttestationKeyPem, same.AttestationKeyPem);
        Assert.Equal(s_authority.InstanceId.ToArray(), same.InstanceId.ToArray());
        Assert.NotEqual(s_authority.AttestationKeyPem, other.AttestationKeyPem);

        using ECDsa otherKey = other.CreateAttestationPublicKey();
        EvidenceVerificationException error = Assert.Throws<EvidenceVerificationException>(() => PsaToken.Verify(s_authority.CreateToken(Enclave(debug: false)), otherKey, allowEmulated: true));
        Assert.Equal("psa.signature", error.Check);
        Assert.Throws<ArgumentException>(() => EmulatedPsaAuthority.Create(new byte[31]));
    }

    [Fact]
    public void EveryOneByteChangeAndEveryTruncationIsATypedRefusal()
    {
        using ECDsa iak = s_authority.CreateAttestationPublicKey();
        byte[] token = s_authority.CreateToken(Enclave(debug: false));
        for (int i = 0; i < token.Length; i++)
        {
            byte[] tampered = (byte[])token.Clone();
            tampered[i] ^= 0x01;
            Assert.ThrowsAny<AttestationException>(() => PsaToken.Verify(tampered, iak, allowEmulated: true));
            Assert.ThrowsAny<AttestationException>(() => PsaToken.Verify(token.AsSpan(0, i), iak, allowEmulated: true));
        }
    }
}
