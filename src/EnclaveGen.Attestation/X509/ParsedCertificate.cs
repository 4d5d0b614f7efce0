using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace EnclaveGen.Attestation.X509;

/// <summary>
/// A certificate parsed with BouncyCastle from DER that must be canonical: re-encoding the parsed
/// structure gives the same bytes, so one certificate has one encoding.
/// </summary>
internal sealed class ParsedCertificate
{
    private ParsedCertificate(byte[] der, X509Certificate certificate)
    {
        Der = der;
        Certificate = certificate;
        SubjectPublicKeyInfo = certificate.CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded();
    }

    public byte[] Der { get; }

    public X509Certificate Certificate { get; }

    public byte[] SubjectPublicKeyInfo { get; }

    public X509Name Subject => Certificate.SubjectDN;

    public X509Name Issuer => Certificate.IssuerDN;

    public string SubjectText => Certificate.SubjectDN.ToString();

    /// <summary>Parses DER strictly.</summary>
    /// <param name="der">The certificate.</param>
    /// <param name="name">What the certificate is, for error messages (for example "PCK leaf").</param>
    /// <exception cref="EvidenceVerificationException">The bytes are not one canonical DER certificate (check <c>certificate.encoding</c>).</exception>
    public static ParsedCertificate Parse(byte[] der, string name)
    {
        X509CertificateStructure structure;
        try
        {
            var asn1 = Asn1Object.FromByteArray(der);
            structure = X509CertificateStructure.GetInstance(asn1);
        }
        catch (Exception e) when (IsParserFailure(e))
        {
            // BouncyCastle reports malformed ASN.1 with several exception types; all mean "not a certificate".
            throw new EvidenceVerificationException("certificate.encoding", $"the {name} certificate is not valid DER X.509 ({ErrorText.Describe(e)})");
        }

        byte[] reencoded;
        X509Certificate certificate;
        try
        {
            certificate = new X509Certificate(structure);
            reencoded = structure.GetDerEncoded();
            _ = certificate.NotBefore;
            _ = certificate.NotAfter;
            _ = certificate.SubjectDN;
            _ = certificate.IssuerDN;
        }
        catch (Exception e) when (IsParserFailure(e))
        {
            throw new EvidenceVerificationException("certificate.encoding", $"the {name} certificate is not valid DER X.509 ({ErrorText.Describe(e)})");
        }

        if (!reencoded.AsSpan().SequenceEqual(der))
        {
            throw new EvidenceVerificationException("certificate.encoding", $"the {name} certificate is not in canonical DER (its re-encoding differs)");
        }

        return new ParsedCertificate(der, certificate);
    }

    /// <summary>
    /// The exception types BouncyCastle raises for malformed ASN.1 or certificates. Anything else
    /// (a null reference, out of memory) is a bug and is not turned into a verdict about the input.
    /// </summary>
    internal static bool IsParserFailure(Exception e) =>
        e is IOException or ArgumentException or InvalidCastException or FormatException or InvalidOperationException
            or ArithmeticException or Asn1Exception or IndexOutOfRangeException or Org.BouncyCastle.Security.GeneralSecurityException;

    /// <summary>The extension's value (the content of its OCTET STRING), or null.</summary>
    public byte[]? GetExtensionValue(string oid)
    {
        X509Extensions? extensions = Certificate.CertificateStructure.TbsCertificate.Extensions;
        X509Extension? extension = extensions?.GetExtension(new DerObjectIdentifier(oid));
        return extension?.Value.GetOctets();
    }
}
