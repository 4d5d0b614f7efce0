using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// Verifies Intel SGX DCAP quotes: the layout (<see cref="SgxQuote"/>), the DCAP checks every quote
/// gets (the PCK chain to a DCAP anchor, the quoting enclave and its binding of the attestation
/// key, both signatures, and with collateral Intel's TCB evaluation), and the header's QE SVN
/// against the QE report in version 3 quotes.
/// </summary>
public sealed class SgxQuoteVerifier : IEvidenceVerifier
{
    /// <inheritdoc/>
    public EvidenceFormat Format => EvidenceFormat.SgxQuote;

    /// <inheritdoc/>
    public bool Recognizes(ReadOnlySpan<byte> evidence) => SgxQuote.HasHeader(evidence);

    /// <inheritdoc/>
    public AttestationClaims Verify(ReadOnlySpan<byte> evidence, EvidenceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SgxQuote quote = SgxQuote.Parse(evidence);
        ushort? headerQeSvn = quote.Version == SgxQuote.Version3 ? quote.QeSvn : null;
        DcapVerification verification = DcapQuoteChecks.Verify(quote.SignatureData, quote.SignedBytes.Span, quote.QeVendorId.Span, headerQeSvn, SgxTcbRules.Instance, context);
        return new SgxClaims(verification, quote);
    }
}
