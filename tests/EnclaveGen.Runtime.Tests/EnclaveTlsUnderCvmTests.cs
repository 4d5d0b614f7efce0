using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EnclaveGen.Attestation;
using EnclaveGen.Attestation.Cvm;
using EnclaveGen.Attestation.Tls;
using EnclaveGen.Attestation.Verification;
using EnclaveGen.Runtime.Tests.Enclaves;

namespace EnclaveGen.Runtime.Tests;

/// <summary>
/// Attested TLS from an enclave inside a confidential VM: no quote exists there, so the certificate
/// carries the VM's evidence binding the enclave under EnclaveGen's own tag, and a verifier that
/// trusts the VM's root gets the enclave's identity with the VM's claims beside it.
/// </summary>
public sealed class EnclaveTlsUnderCvmTests : IDisposable
{
    private readonly EnclavePlatform _platform = EnclavePlatform.CreateInMemory();

    public void Dispose() => _platform.Dispose();

    [Theory]
    [InlineData(TeeProfile.CvmEmulated)]
    [InlineData(TeeProfile.CvmEmulatedTdx)]
    public async Task TheCertificateCarriesTheVmsEvidenceOfTheEnclaveAndBindsItsKey(TeeProfile profile)
    {
        await using TlsEndpoint.Proxy enclave = await TlsEndpoint.CreateEnclaveAsync(new TlsRelayHost(), new EnclaveOptions { Mode = EnclaveMode.InProcess, Platform = _platform, Profile = profile });
        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(enclave.CreateCertificate());
        AttestationVerifier verifier = new([.. TrustAnchor.Defaults, _platform.AttestationTrustAnchor, _platform.CvmTrustAnchor]);
        AttestationPolicy policy = new() { AllowEmulated = true, AllowDebug = true, ExpectedUniqueIds = [enclave.Identity.Mrenclave.AsSpan().ToArray()] };

        AttestedTlsPeer peer = AttestedTls.Verify(certificate, policy, verifier);

        Assert.Equal(RaTlsFormat.CvmEnclaveEvidenceTag, peer.Evidence.Tag);
        CvmEnclaveClaims claims = Assert.IsType<CvmEnclaveClaims>(peer.Claims);
        Assert.True(claims.IsEmulated);
        Assert.Equal(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()), peer.Evidence.PublicKeyHash.ToArray());

        // Without the root the VM's evidence chains to (the emulated ARK for SEV-SNP reports, the
        // emulated DCAP root for TDX quotes) the same certificate is refused, and a strict party refuses emulation.
        TrustAnchor otherRoot = profile == TeeProfile.CvmEmulated ? _platform.AttestationTrustAnchor : _platform.CvmTrustAnchor;
        AttestedTlsException untrusted = Assert.Throws<AttestedTlsException>(() => AttestedTls.Verify(certificate, policy, new AttestationVerifier([.. TrustAnchor.Defaults, otherRoot])));
        Assert.Equal(AttestedTlsFailure.EvidenceInvalid, untrusted.Reason);
        AttestedTlsException strict = Assert.Throws<AttestedTlsException>(() => AttestedTls.Verify(certificate, policy with { AllowEmulated = false }, verifier));
        Assert.Equal(AttestedTlsFailure.PolicyRefused, strict.Reason);
    }

    [Fact]
    public async Task ATrustedApplicationMakesNoRaTlsCertificate()
    {
        await using TlsEndpoint.Proxy enclave = await TlsEndpoint.CreateEnclaveAsync(new TlsRelayHost(), new EnclaveOptions { Mode = EnclaveMode.InProcess, Platform = _platform, Profile = TeeProfile.TrustZoneEmulated });

        TrustedCodeException fault = Assert.Throws<TrustedCodeException>(() => enclave.CreateCertificate());

        Assert.Equal("EnclaveGen.EnclaveException", fault.ExceptionTypeName);
    }
}
