using System.Security.Cryptography.X509Certificates;
using EnclaveGen.Attestation.Tls;

namespace EnclaveGen;

/// <summary>
/// Attested TLS for trusted code: a TLS server certificate made inside the enclave, whose key never
/// leaves it and whose RA-TLS evidence extension carries a quote of this enclave binding that key
/// (the interoperable format: <c>docs/attested-tls.md</c>). A client checks it with
/// <c>EnclaveGen.Attestation.Tls.AttestedTls</c>; Gramine and Intel SGX SDK RA-TLS clients read the
/// same format. Under a confidential-VM profile the extension carries the VM's evidence binding the
/// enclave instead (EnclaveGen's own CBOR tag, <c>RaTlsFormat.CvmEnclaveEvidenceTag</c>), which only
/// EnclaveGen's verifier reads.
/// </summary>
public static class EnclaveTlsCertificate
{
    /// <summary>Creates a fresh ECDSA P-256 key and a self-signed certificate whose evidence binds it.</summary>
    /// <param name="subject">The certificate's subject (an X.500 name); clients do not check it.</param>
    /// <param name="validity">How long the certificate is valid (default one day).</param>
    /// <param name="nonce">A relying party's nonce for the <c>nonce</c> claim, or empty.</param>
    /// <exception cref="EnclaveCallContextException">Called outside a [Trusted] method.</exception>
    /// <exception cref="EnclaveException">Under <see cref="TeeProfile.TrustZoneEmulated"/>, whose PSA tokens RA-TLS does not carry.</exception>
    public static X509Certificate2 Create(string subject = RaTlsCertificateBuilder.DefaultSubject, TimeSpan? validity = null, ReadOnlySpan<byte> nonce = default) =>
        Create(client: false, subject, validity, nonce);

    /// <summary>A server or client certificate with the evidence of this enclave's profile: a quote, or a confidential VM's evidence binding the enclave.</summary>
    internal static X509Certificate2 Create(bool client, string subject = RaTlsCertificateBuilder.DefaultSubject, TimeSpan? validity = null, ReadOnlySpan<byte> nonce = default)
    {
        TeeProfile profile = EnclaveAttestation.EvidenceOfRunningEnclave("Making an attested TLS certificate").Profile;
        return profile is TeeProfile.SgxEmulated
            ? RaTlsCertificateBuilder.Create(RaTlsFormat.IntelTeeQuoteTag, reportData => EnclaveAttestation.CreateQuote(reportData), client, subject, validity, nonce)
            : RaTlsCertificateBuilder.Create(RaTlsFormat.CvmEnclaveEvidenceTag, reportData => EnclaveAttestation.CreateVerifiableEvidence(reportData), client, subject, validity, nonce);
    }
}
