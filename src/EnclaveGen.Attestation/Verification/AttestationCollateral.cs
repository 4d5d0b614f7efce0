using EnclaveGen.Attestation.Pem;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// Optional collateral checked with the evidence, against the same verification time. For now:
/// certificate revocation lists (DER), such as Intel's PCK and root CA CRLs or AMD's ARK CRL.
/// Each CRL must be issued by a CA of the evidence's chain (or its anchor), verify under that CA's
/// key, and be current (thisUpdate &lt;= time &lt;= nextUpdate); a certificate of the chain that it
/// lists as revoked on or before the verification time fails the evidence (<c>chain.revoked</c>).
/// </summary>
/// <remarks>
/// With <see cref="QeIdentity"/>, DCAP quotes are also checked against Intel's QE identity: its
/// signature chain (to the quote's anchor) and signature over the exact <c>enclaveIdentity</c>
/// bytes, its issueDate/nextUpdate, the QE's MRSIGNER, ISVPRODID, MISCSELECT and ATTRIBUTES under
/// their masks, and the TCB level of the QE's ISVSVN (Revoked fails; the status is a claim). With
/// <see cref="TcbInfo"/>, SGX quotes are checked against Intel's TCB info for their platform: its
/// chain and signature, currency, the FMSPC and PCE ID of the PCK certificate, and the TCB level of
/// the PCK certificate's TCB components and PCESVN (Revoked fails; the status is a claim).
/// </remarks>
/// <param name="Crls">The CRLs, DER each.</param>
public sealed record AttestationCollateral(IReadOnlyList<byte[]> Crls)
{
    /// <summary>Intel's SGX TCB info for the platform's FMSPC (DCAP v3 quotes), or null.</summary>
    public TcbInfoCollateral? TcbInfo { get; init; }

    /// <summary>Intel's QE identity (SGX "QE" or TDX "TD_QE") for DCAP quotes, or null.</summary>
    public QeIdentityCollateral? QeIdentity { get; init; }

    /// <summary>No collateral.</summary>
    public static AttestationCollateral None { get; } = new([]);

    /// <summary>Reads CRLs from DER (one) or PEM (<c>X509 CRL</c> blocks).</summary>
    /// <exception cref="EvidenceFormatException">The bytes are neither.</exception>
    public static IReadOnlyList<byte[]> ReadCrls(ReadOnlySpan<byte> derOrPem)
    {
        if (!derOrPem.StartsWith("-----BEGIN"u8))
        {
            return [derOrPem.ToArray()];
        }

        var result = new List<byte[]>();
        ReadOnlySpan<char> text = System.Text.Encoding.ASCII.GetString(derOrPem);
        while (System.Security.Cryptography.PemEncoding.TryFind(text, out System.Security.Cryptography.PemFields fields))
        {
            if (!text[fields.Label].SequenceEqual("X509 CRL"))
            {
                throw new EvidenceFormatException("CRL file", "label", fields.Location.Start.Value, $"expected 'X509 CRL' blocks, found '{text[fields.Label]}'");
            }

            result.Add(Convert.FromBase64String(text[fields.Base64Data].ToString()));
            text = text[fields.Location.End.Value..];
            if (result.Count > StrictPem.MaxCertificates * 2)
            {
                throw new EvidenceFormatException("CRL file", "count", -1, "too many CRLs");
            }
        }

        if (result.Count == 0 || !text.IsWhiteSpace())
        {
            throw new EvidenceFormatException("CRL file", "text", -1, "expected only 'X509 CRL' PEM blocks");
        }

        return result;
    }
}
