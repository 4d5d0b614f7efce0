using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// The claims of a verified TDX v4 quote. The unique ID is MRTD; a TD has no signer ID, product ID
/// or security version of its own (those claims are empty or null), so policies on them refuse TDX
/// evidence: check MRTD, the RTMRs, MRCONFIGID, MROWNER and the TDX module (MRSEAM) instead.
/// </summary>
public sealed class TdxClaims : AttestationClaims
{
    internal TdxClaims(TrustAnchor anchor, TdxQuote quote, string pckSubject)
        : base(anchor, quote.ReportBody.MrTd, ReadOnlyMemory<byte>.Empty, null, null, quote.ReportBody.IsDebug, quote.ReportBody.ReportData)
    {
        Report = quote.ReportBody;
        QuotingEnclave = quote.QeCertification.QeReport;
        QeSvn = quote.QeSvn;
        PceSvn = quote.PceSvn;
        PckCertificateSubject = pckSubject;
    }

    /// <inheritdoc/>
    public override EvidenceKind Kind => EvidenceKind.TdxQuoteV4;

    /// <summary>The TD report body (MRTD, RTMRs, MRSEAM, TEE_TCB_SVN, ...).</summary>
    public TdxReportBody Report { get; }

    /// <summary>MRTD (the same as <see cref="AttestationClaims.UniqueId"/>).</summary>
    public ReadOnlyMemory<byte> MrTd => Report.MrTd;

    /// <summary>The quoting enclave's report body.</summary>
    public SgxReportBody QuotingEnclave { get; }

    /// <summary>The QE SVN in the quote header.</summary>
    public ushort QeSvn { get; }

    /// <summary>The PCE SVN in the quote header.</summary>
    public ushort PceSvn { get; }

    /// <summary>The subject of the PCK certificate that certified the quoting enclave.</summary>
    public string PckCertificateSubject { get; }

    /// <summary>The quoting enclave's TCB status from Intel's QE identity collateral (for example UpToDate or OutOfDate), or null when none was given.</summary>
    public string? QeTcbStatus { get; init; }

    /// <summary>The PCK certificate's SGX extension (FMSPC, PCE ID, the TCB it was issued for), or null when it has none.</summary>
    public EnclaveGen.Attestation.X509.PckCertificateInfo? PckInfo { get; init; }
}
