using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EnclaveGen.Attestation.Tls;

/// <summary>
/// Makes an RA-TLS server certificate where the attested code runs: a fresh ECDSA P-256 key, and a
/// self-signed certificate whose evidence extension (<see cref="RaTlsFormat.EvidenceExtensionOid"/>)
/// holds a quote whose report data is SHA-256 of the claims buffer, which names SHA-256 of the
/// certificate's SubjectPublicKeyInfo. The private key never leaves the returned certificate.
/// </summary>
/// <remarks>
/// The quote comes from the caller (inside an enclave, <c>EnclaveAttestation.CreateQuote</c>), so this
/// class needs no runtime. Every certificate gets its own key: evidence is never reused across keys.
/// </remarks>
public static class RaTlsCertificateBuilder
{
    /// <summary>The subject when none is given.</summary>
    public const string DefaultSubject = "CN=EnclaveGen attested TLS";

    /// <summary>Creates the key pair and the certificate.</summary>
    /// <param name="createQuote">Returns an Intel TEE quote (SGX or TDX) binding the 64 bytes of report data it is given.</param>
    /// <param name="subject">The certificate's subject and issuer (an X.500 name); the relying party does not check it.</param>
    /// <param name="validity">How long the certificate is valid from now (default one day); the relying party trusts the evidence, not the dates.</param>
    /// <param name="nonce">A relying party's nonce to carry in the <c>nonce</c> claim, or empty for none.</param>
    /// <returns>The certificate with its private key, ready for <c>SslStream.AuthenticateAsServerAsync</c>.</returns>
    public static X509Certificate2 Create(Func<byte[], byte[]> createQuote, string subject = DefaultSubject, TimeSpan? validity = null, ReadOnlySpan<byte> nonce = default) =>
        Create(createQuote, subject, validity, nonce, ServerAuthentication);

    /// <summary>
    /// Creates the key pair and a TLS client certificate (extended key usage clientAuth) in the same
    /// layout: what an enclave presents to a secret release service, which verifies it like a server's.
    /// </summary>
    /// <param name="createQuote">Returns an Intel TEE quote (SGX or TDX) binding the 64 bytes of report data it is given.</param>
    /// <param name="subject">The certificate's subject and issuer (an X.500 name); the service does not check it.</param>
    /// <param name="validity">How long the certificate is valid from now (default one day).</param>
    /// <param name="nonce">A relying party's nonce to carry in the <c>nonce</c> claim, or empty for none.</param>
    /// <returns>The certificate with its private key, ready for <c>SslClientAuthenticationOptions.ClientCertificates</c>.</returns>
    public static X509Certificate2 CreateClient(Func<byte[], byte[]> createQuote, string subject = DefaultSubject, TimeSpan? validity = null, ReadOnlySpan<byte> nonce = default) =>
        Create(createQuote, subject, validity, nonce, ClientAuthentication);

    /// <summary>
    /// Creates the key pair and a server (or, with <paramref name="client"/>, a client) certificate
    /// whose evidence is tagged <paramref name="evidenceTag"/>: <see cref="RaTlsFormat.IntelTeeQuoteTag"/>
    /// for a quote, <see cref="RaTlsFormat.CvmEnclaveEvidenceTag"/> for an enclave inside a confidential VM.
    /// </summary>
    /// <param name="evidenceTag">What <paramref name="createEvidence"/> returns, as a CBOR tag.</param>
    /// <param name="createEvidence">Returns the evidence binding the 64 bytes of report data it is given.</param>
    /// <param name="client">True for a client certificate (extended key usage clientAuth), false for a server's.</param>
    /// <param name="subject">The certificate's subject and issuer.</param>
    /// <param name="validity">How long the certificate is valid from now (default one day).</param>
    /// <param name="nonce">A relying party's nonce to carry in the <c>nonce</c> claim, or empty for none.</param>
    public static X509Certificate2 Create(ulong evidenceTag, Func<byte[], byte[]> createEvidence, bool client, string subject = DefaultSubject, TimeSpan? validity = null, ReadOnlySpan<byte> nonce = default)
    {
        if (evidenceTag is not (RaTlsFormat.IntelTeeQuoteTag or RaTlsFormat.CvmEnclaveEvidenceTag))
        {
            throw new ArgumentOutOfRangeException(nameof(evidenceTag), evidenceTag, $"Expected {RaTlsFormat.IntelTeeQuoteTag} (an Intel TEE quote) or {RaTlsFormat.CvmEnclaveEvidenceTag} (an enclave inside a confidential VM).");
        }

        return Create(createEvidence, subject, validity, nonce, client ? ClientAuthentication : ServerAuthentication, evidenceTag);
    }

    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    private static X509Certificate2 Create(Func<byte[], byte[]> createQuote, string subject, TimeSpan? validity, ReadOnlySpan<byte> nonce, string extendedKeyUsage, ulong evidenceTag = RaTlsFormat.IntelTeeQuoteTag)
    {
        ArgumentNullException.ThrowIfNull(createQuote);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        TimeSpan lifetime = validity ?? TimeSpan.FromDays(1);
        if (lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(validity), validity, "A certificate's validity must be positive.");
        }

        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = new(subject, key, HashAlgorithmName.SHA256);
        byte[] claims = RaTlsEvidence.CreateClaimsBuffer(request.PublicKey.ExportSubjectPublicKeyInfo(), nonce);
        byte[] quote = createQuote(RaTlsEvidence.ReportDataFor(claims))
            ?? throw new InvalidOperationException("The quote callback returned null instead of a quote.");

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedKeyUsage)], critical: false));
        request.CertificateExtensions.Add(new X509Extension(RaTlsFormat.EvidenceExtensionOid, RaTlsEvidence.Encode(evidenceTag, quote, claims), critical: false));

        // Back-dated a minute so a peer whose clock is slightly behind does not see a future certificate.
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-1), now + lifetime);
    }
}
