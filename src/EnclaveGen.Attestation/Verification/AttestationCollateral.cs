using EnclaveGen.Attestation.Pem;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// Collateral checked with the evidence, against the same verification time: certificate
/// revocation lists (Intel's PCK CA and root CA CRLs, AMD's KDS CRLs), and for Intel DCAP quotes
/// Intel's TCB info and QE identity, from which the verifier computes the TCB status.
/// </summary>
/// <remarks>
/// A CRL issued by a CA of the evidence's chain (or its anchor) must verify under that CA's key and
/// be current (thisUpdate &lt;= time &lt;= nextUpdate); a certificate of the chain it lists as revoked
/// on or before the verification time fails the evidence (<c>chain.revoked</c>). A CRL issued by
/// none of the chain's CAs is about another chain and is skipped. A TCB status needs all of Intel's
/// collateral (TCB info, QE identity, and the root CA's and PCK CA's CRLs); what
/// <c>docs/attestation.md</c> lists under "What VALID means" is checked.
/// </remarks>
/// <param name="Crls">The CRLs, DER each.</param>
public sealed record AttestationCollateral(IReadOnlyList<byte[]> Crls)
{
    /// <summary>The most CRLs one collateral set may hold.</summary>
    public const int MaxCrls = 16;

    /// <summary>Intel's TCB info for the platform's FMSPC (SGX or TDX), or null.</summary>
    public TcbInfoCollateral? TcbInfo { get; init; }

    /// <summary>Intel's QE identity (SGX <c>QE</c> or TDX <c>TD_QE</c>), or null.</summary>
    public QeIdentityCollateral? QeIdentity { get; init; }

    /// <summary>No collateral.</summary>
    public static AttestationCollateral None { get; } = new([]);

    /// <summary>Reads CRLs from DER (one), PEM (<c>X509 CRL</c> blocks; CRLF and a missing final newline are fine) or hex text (one).</summary>
    /// <exception cref="EvidenceFormatException">The bytes are none of these.</exception>
    public static IReadOnlyList<byte[]> ReadCrls(ReadOnlySpan<byte> derOrPemOrHex)
    {
        if (StrictPem.LooksLikePem(derOrPemOrHex))
        {
            return StrictPem.DecodeFile(derOrPemOrHex, "X509 CRL", "CRL file", MaxCrls);
        }

        ReadOnlySpan<byte> trimmed = derOrPemOrHex.Trim(" \t\r\n"u8);
        if (!trimmed.IsEmpty && trimmed.Length % 2 == 0 && !trimmed.ContainsAnyExcept("0123456789abcdefABCDEF"u8))
        {
            return [Convert.FromHexString(System.Text.Encoding.ASCII.GetString(trimmed))];
        }

        if (derOrPemOrHex.IsEmpty || derOrPemOrHex[0] != 0x30)
        {
            throw new EvidenceFormatException("CRL file", "encoding", 0, "expected a DER CRL (starting with a SEQUENCE, 0x30), PEM 'X509 CRL' blocks or hex");
        }

        return [derOrPemOrHex.ToArray()];
    }
}
