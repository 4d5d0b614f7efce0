using System.Security.Cryptography.X509Certificates;
using EnclaveGen.Attestation.Tls;

namespace EnclaveGen;

/// <summary>
/// Attested TLS for trusted code: a TLS server certificate made inside the enclave, whose key never
/// leaves it and whose RA-TLS evidence extension carries a quote of this enclave binding that key
/// (the interoperable format: <c>docs/attested-tls.md</c>). A client checks it with
/// <c>EnclaveGen.Attestation.Tls.AttestedTls</c>; Gramine and Intel SGX SDK RA-TLS clients read the
/// same format.
/// </summary>
public static class EnclaveTlsCertificate
{
    /// <summary>Creates a fresh ECDSA P-256 key and a self-signed certificate whose evidence binds it.</summary>
    /// <param name="subject">The certificate's subject (an X.500 name); clients do not check it.</param>
    /// <param name="validity">How long the certificate is valid (default one day).</param>
    /// <param name="nonce">A relying party's nonce for the <c>nonce</c> claim, or empty.</param>
    /// <exception cref="EnclaveCallContextException">Called outside a [Trusted] method.</exception>
    public static X509Certificate2 Create(string subject = RaTlsCertificateBuilder.DefaultSubject, TimeSpan? validity = null, ReadOnlySpan<byte> nonce = default) =>
        RaTlsCertificateBuilder.Create(reportData => EnclaveAttestation.CreateQuote(reportData), subject, validity, nonce);
}
