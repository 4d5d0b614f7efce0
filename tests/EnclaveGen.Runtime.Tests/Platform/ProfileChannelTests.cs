using System.Security.Cryptography;
using EnclaveGen.Attestation;
using EnclaveGen.Attestation.Arm;
using EnclaveGen.Attestation.Channel;
using EnclaveGen.Attestation.Cvm;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Verification;
using EnclaveGen.Runtime.Tests.Enclaves;

namespace EnclaveGen.Runtime.Tests.Platform;

/// <summary>
/// What each profile gives beyond raw evidence: an attested channel under the confidential-VM
/// profiles (the relying party checks the VM's evidence and the enclave it binds with one verifier
/// call), PSA tokens under trustzone-emulated, and no sealing under the real cvm profile.
/// </summary>
public sealed class ProfileChannelTests : IDisposable
{
    private readonly EnclavePlatform _platform = EnclavePlatform.CreateInMemory();

    public void Dispose() => _platform.Dispose();

    [Theory]
    [InlineData(TeeProfile.CvmEmulated, "sev-snp")]
    [InlineData(TeeProfile.CvmEmulatedTdx, "tdx")]
    public async Task UnderACvmProfileTheChannelVerifiesTheVmAndTheEnclaveItBinds(TeeProfile profile, string vmFamily)
    {
        await using Aggregator.Proxy enclave = await Aggregator.CreateEnclaveAsync(new EnclaveOptions { Platform = _platform, Profile = profile });
        byte[] nonce = RandomNumberGenerator.GetBytes(32);
        var verifier = new AttestationVerifier([.. TrustAnchor.Defaults, _platform.CvmTrustAnchor, _platform.AttestationTrustAnchor]);
        var policy = new AttestationPolicy { AllowEmulated = true, AllowDebug = true, ExpectedUniqueIds = [enclave.Identity.Mrenclave.AsSpan().ToArray()] };

        (byte[] evidence, byte[] enclaveKey) = enclave.Offer(nonce);
        RelyingPartyChannel channel = RelyingPartyChannel.Connect(verifier, evidence, null, enclaveKey, policy, nonce);
        enclave.Accept(channel.PublicKey.ToArray());
        enclave.Submit(channel.Session.Seal(BitConverter.GetBytes(40)));
        enclave.Submit(channel.Session.Seal(BitConverter.GetBytes(44)));

        Assert.Equal(42.0, BitConverter.ToDouble(channel.Session.Open(enclave.Mean())));
        CvmEnclaveClaims claims = Assert.IsType<CvmEnclaveClaims>(channel.Claims);
        Assert.Equal("cvm", claims.Format.Family);
        Assert.Equal(vmFamily, claims.Vm.Format.Family);
        Assert.True(claims.IsEmulated);
        Assert.Equal(enclave.Identity.Mrsigner.AsSpan().ToArray(), claims.SignerId.ToArray());

        // Another enclave build, another nonce, the default policy: refused by the same checks as SGX quotes.
        (byte[] second, byte[] secondKey) = enclave.Offer(nonce);
        Assert.Equal("policy.uniqueId", Assert.Throws<AttestationPolicyException>(() => RelyingPartyChannel.Connect(verifier, second, null, secondKey, policy with { ExpectedUniqueIds = [new byte[32]] }, nonce)).Check);
        Assert.Equal("policy.reportData", Assert.Throws<AttestationPolicyException>(() => RelyingPartyChannel.Connect(verifier, second, null, secondKey, policy, new byte[32])).Check);
        Assert.Equal("policy.emulated", Assert.Throws<AttestationPolicyException>(() => RelyingPartyChannel.Connect(verifier, second, null, secondKey, AttestationPolicy.Default, nonce)).Check);
    }

    [Fact]
    public async Task AChangedEnclaveReportVmEvidenceOrLengthInTheBlobIsATypedRefusal()
    {
        await using Aggregator.Proxy enclave = await Aggregator.CreateEnclaveAsync(new EnclaveOptions { Platform = _platform, Profile = TeeProfile.CvmEmulated });
        (byte[] evidence, _) = enclave.Offer([]);
        var verifier = new AttestationVerifier([_platform.CvmTrustAnchor]);
        var policy = new AttestationPolicy { AllowEmulated = true, AllowDebug = true };
        CvmEnclaveEvidence blob = CvmEnclaveEvidence.Parse(evidence);
        Assert.Equal(384, blob.EnclaveReport.Length);

        byte[] otherEnclave = (byte[])blob.EnclaveReport.Clone();
        otherEnclave[64] ^= 1; // MRENCLAVE
        EvidenceVerificationException unbound = Assert.Throws<EvidenceVerificationException>(() => verifier.Verify(CvmEnclaveEvidence.Encode(blob.VmEvidence, blob.Certificates, otherEnclave), policy));
        Assert.Equal("binding.enclave", unbound.Check);

        byte[] otherVm = (byte[])blob.VmEvidence.Clone();
        otherVm[0x90] ^= 1; // the VM's MEASUREMENT, under the VCEK's signature
        Assert.ThrowsAny<AttestationException>(() => verifier.Verify(CvmEnclaveEvidence.Encode(otherVm, blob.Certificates, blob.EnclaveReport), policy));

        Assert.ThrowsAny<AttestationException>(() => verifier.Verify(CvmEnclaveEvidence.Encode(blob.VmEvidence, [], blob.EnclaveReport), policy)); // no VCEK
        for (int cut = 0; cut < evidence.Length; cut += 97)
        {
            Assert.ThrowsAny<AttestationException>(() => verifier.Verify(evidence.AsSpan(0, cut), policy));
        }

        Assert.Throws<EvidenceFormatException>(() => verifier.Verify([.. evidence, 0], policy));

        // Only VM evidence may stand inside: an SGX quote in the blob is refused by format.
        await using Aggregator.Proxy sgx = await Aggregator.CreateEnclaveAsync(new EnclaveOptions { Platform = _platform, Profile = TeeProfile.SgxEmulated });
        (byte[] quote, _) = sgx.Offer([]);
        EvidenceFormatException notVm = Assert.Throws<EvidenceFormatException>(() => new AttestationVerifier([_platform.AttestationTrustAnchor]).Verify(CvmEnclaveEvidence.Encode(quote, [], blob.EnclaveReport), policy));
        Assert.Contains("VM evidence", notVm.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnderTrustZoneEmulatedTheEvidenceIsAnEmulatedPsaTokenAndAChannelOfferIsRefusedClearly()
    {
        await using Aggregator.Proxy enclave = await Aggregator.CreateEnclaveAsync(new EnclaveOptions { Platform = _platform, Profile = TeeProfile.TrustZoneEmulated });
        byte[] nonce = RandomNumberGenerator.GetBytes(64);

        (string format, byte[] token, IReadOnlyList<byte[]> certificates, byte[] enclaveReport, bool isEmulated) = enclave.Evidence(nonce);

        Assert.Equal("psa-token", format);
        Assert.True(isEmulated);
        Assert.Empty(certificates);
        Assert.Empty(enclaveReport);
        using ECDsa iak = ECDsa.Create();
        iak.ImportFromPem(_platform.PsaAttestationKeyPem);
        PsaTokenClaims claims = PsaToken.Verify(token, iak, nonce, allowEmulated: true);
        Assert.Equal(enclave.Identity.Mrenclave.AsSpan().ToArray(), claims.SoftwareComponents.Single(c => c.MeasurementType == EmulatedPsaAuthority.TrustedApplicationComponentType).MeasurementValue.ToArray());

        TrustedCodeException refused = Assert.Throws<TrustedCodeException>(() => enclave.Offer([]));
        Assert.Equal(typeof(EnclaveException).FullName, refused.ExceptionTypeName);
        Assert.Contains("trustzone-emulated", refused.EnclaveMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnderTheRealCvmProfileSealingFailsWithATypedErrorInsteadOfUsingTheEmulatedKey()
    {
        await using Aggregator.Proxy enclave = await Aggregator.CreateEnclaveAsync(new EnclaveOptions { Platform = _platform, Profile = TeeProfile.Cvm });

        TrustedCodeException sealing = Assert.Throws<TrustedCodeException>(() => enclave.SealNote("note", SealingPolicy.MrEnclave));
        Assert.Equal(typeof(EnclaveSealingException).FullName, sealing.ExceptionTypeName);
        Assert.Contains("cvm profile", sealing.EnclaveMessage, StringComparison.Ordinal);

        // Nor does it open what an emulated profile sealed on the same platform.
        byte[] sealedElsewhere;
        await using (Aggregator.Proxy emulated = await Aggregator.CreateEnclaveAsync(new EnclaveOptions { Platform = _platform, Profile = TeeProfile.CvmEmulated }))
        {
            sealedElsewhere = emulated.SealNote("note", SealingPolicy.MrEnclave);
        }

        Assert.Equal(typeof(EnclaveSealingException).FullName, Assert.Throws<TrustedCodeException>(() => enclave.UnsealNote(sealedElsewhere)).ExceptionTypeName);

        var service = new Runtime.Sealing.SealingService(_platform, enclave.Identity, TeeProfile.Cvm);
        Assert.Equal(SealingFailure.NoHardwareKey, Assert.Throws<EnclaveSealingException>(() => service.Seal([1, 2, 3], SealingPolicy.MrSigner)).Reason);
    }
}
