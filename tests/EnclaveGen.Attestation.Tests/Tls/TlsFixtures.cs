using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EnclaveGen.Attestation.Tests.Emulation;
using EnclaveGen.Attestation.Tls;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Tls;

/// <summary>Certificates for the attested TLS tests: genuine enclave ones (emulated quotes), and the attacker's forgeries.</summary>
internal static class TlsFixtures
{
    /// <summary>Inside the emulated authority's validity, as the other emulated tests use.</summary>
    public static readonly AttestationPolicy Lenient = new() { AllowEmulated = true, VerificationTime = EmulatedAuthorityTests.During };

    public static AttestationVerifier Verifier => EmulatedAuthorityTests.Verifier;

    /// <summary>A certificate as an enclave makes it: its quote binds this certificate's own key.</summary>
    public static X509Certificate2 Enclave(bool debug = false, byte mrEnclave = 0x11) =>
        RaTlsCertificateBuilder.Create(reportData => Quote(reportData, debug, mrEnclave));

    public static byte[] Quote(byte[] reportData, bool debug = false, byte mrEnclave = 0x11) =>
        EmulatedAuthorityTests.Shared.CreateQuote(EmulatedAuthorityTests.SampleBody(debug, mrEnclave) with { ReportData = reportData });

    /// <summary>A certificate with its own key whose evidence extension is <paramref name="extensionValue"/> (null: no extension at all).</summary>
    public static X509Certificate2 WithExtension(byte[]? extensionValue, Action<CertificateRequest, ECDsa>? adjust = null)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = new("CN=host in the middle", key, HashAlgorithmName.SHA256);
        if (extensionValue is not null)
        {
            request.CertificateExtensions.Add(new X509Extension(RaTlsFormat.EvidenceExtensionOid, extensionValue, critical: false));
        }

        adjust?.Invoke(request, key);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>The raw evidence extension value of a certificate.</summary>
    public static byte[] ExtensionOf(X509Certificate2 certificate) =>
        certificate.Extensions.Single(e => e.Oid?.Value == RaTlsFormat.EvidenceExtensionOid).RawData;

    /// <summary>A certificate whose own key is correctly named in its claims, but whose quote is <paramref name="quote"/> (made for other claims).</summary>
    public static X509Certificate2 WithOwnClaimsAndQuote(byte[] quote) =>
        RaTlsCertificateBuilder.Create(_ => quote);

    /// <summary>
    /// A certificate carrying the evidence extension twice. CertificateRequest refuses to make one,
    /// so its TBSCertificate is re-encoded with each extension written twice and signed again.
    /// </summary>
    public static X509Certificate2 WithEvidenceTwice(byte[] extensionValue)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = new("CN=evidence twice", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509Extension(RaTlsFormat.EvidenceExtensionOid, extensionValue, critical: false));
        using X509Certificate2 once = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        AsnReader certificate = new AsnReader(once.RawData, AsnEncodingRules.DER).ReadSequence();
        AsnReader tbs = certificate.ReadSequence();
        Asn1Tag extensionsTag = new(TagClass.ContextSpecific, 3, isConstructed: true);
        AsnWriter rewritten = new(AsnEncodingRules.DER);
        using (rewritten.PushSequence())
        {
            while (tbs.HasData)
            {
                if (!tbs.PeekTag().HasSameClassAndValue(extensionsTag))
                {
                    rewritten.WriteEncodedValue(tbs.ReadEncodedValue().Span);
                    continue;
                }

                AsnReader extensions = tbs.ReadSequence(extensionsTag).ReadSequence();
                using (rewritten.PushSequence(extensionsTag))
                using (rewritten.PushSequence())
                {
                    while (extensions.HasData)
                    {
                        ReadOnlyMemory<byte> extension = extensions.ReadEncodedValue();
                        rewritten.WriteEncodedValue(extension.Span);
                        rewritten.WriteEncodedValue(extension.Span);
                    }
                }
            }
        }

        byte[] newTbs = rewritten.Encode();
        AsnWriter signed = new(AsnEncodingRules.DER);
        using (signed.PushSequence())
        {
            signed.WriteEncodedValue(newTbs);
            signed.WriteEncodedValue(certificate.ReadEncodedValue().Span);
            signed.WriteBitString(key.SignData(newTbs, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }

        return X509CertificateLoader.LoadCertificate(signed.Encode());
    }

    /// <summary>A real RA-TLS certificate from tests/testdata/attestation/ra-tls (see its README).</summary>
    public static X509Certificate2 Real(string name) =>
        X509Certificate2.CreateFromPem(File.ReadAllText(TestData.PathOf(Path.Combine("ra-tls", name))));
}
