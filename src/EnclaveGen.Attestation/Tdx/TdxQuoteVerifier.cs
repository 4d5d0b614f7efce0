using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// Verifies Intel TDX DCAP quotes: the layout (<see cref="TdxQuote"/>), the DCAP checks every quote
/// gets (with the anchor's TDX quoting enclave), and with collateral Intel's TDX TCB evaluation
/// (<see cref="TdxTcbRules"/>).
/// </summary>
public sealed class TdxQuoteVerifier : IEvidenceVerifier
{
    /// <inheritdoc/>
    public EvidenceFormat Format => EvidenceFormat.TdxQuote;

    /// <inheritdoc/>
    public bool Recognizes(ReadOnlySpan<byte> evidence) => TdxQuote.HasHeader(evidence);

    /// <inheritdoc/>
    public AttestationClaims Verify(ReadOnlySpan<byte> evidence, EvidenceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        TdxQuote quote = TdxQuote.Parse(evidence);
        DcapVerification verification = DcapQuoteChecks.Verify(quote.SignatureData, quote.SignedBytes.Span, quote.QeVendorId.Span, headerQeSvn: null, new TdxTcbRules(quote), context);
        return new TdxClaims(verification, quote);
    }
}
