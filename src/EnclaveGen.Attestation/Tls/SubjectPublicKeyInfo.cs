using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace EnclaveGen.Attestation.Tls;

/// <summary>The DER SubjectPublicKeyInfo of a certificate, exactly as its bytes carry it (what RA-TLS hashes).</summary>
internal static class SubjectPublicKeyInfo
{
    /// <exception cref="AttestedTlsException">The certificate's DER does not have the X.509 shape.</exception>
    public static byte[] Of(X509Certificate2 certificate)
    {
        try
        {
            AsnReader tbs = new AsnReader(certificate.RawDataMemory, AsnEncodingRules.DER).ReadSequence().ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                tbs.ReadEncodedValue(); // version
            }

            // serialNumber, signature, issuer, validity, subject, then subjectPublicKeyInfo.
            for (int i = 0; i < 5; i++)
            {
                tbs.ReadEncodedValue();
            }

            return tbs.ReadEncodedValue().ToArray();
        }
        catch (AsnContentException e)
        {
            throw new AttestedTlsException(AttestedTlsFailure.EvidenceInvalid, $"the certificate's DER could not be read to find its SubjectPublicKeyInfo ({ErrorText.Message(e)}).", e);
        }
    }
}
