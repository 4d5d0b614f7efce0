using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Verification;

/// <summary>The claims of a verified SGX DCAP quote.</summary>
public sealed class SgxClaims : AttestationClaims
{
    internal SgxClaims(TrustAnchor anchor, SgxQuote quote, string pckSubject)
        : base(anchor, quote.ReportBody.MrEnclave, quote.ReportBody.MrSigner, quote.ReportBody.IsvProdId, quote.ReportBody.IsvSvn, quote.ReportBody.Attributes.IsDebug, quote.ReportBody.ReportData)
    {
        Report = quote.ReportBody;
        QuotingEnclave = quote.QeReport;
        QeSvn = quote.QeSvn;
        PceSvn = quote.PceSvn;
        QeVendorId = quote.QeVendorId;
        PckCertificateSubject = pckSubject;
    }

    /// <inheritdoc/>
    public override EvidenceKind Kind => EvidenceKind.SgxQuoteV3;

    /// <summary>The attested enclave's full report body.</summary>
    public SgxReportBody Report { get; }

    /// <summary>MRENCLAVE (the same as <see cref="AttestationClaims.UniqueId"/>).</summary>
    public ReadOnlyMemory<byte> MrEnclave => Report.MrEnclave;

    /// <summary>MRSIGNER (the same as <see cref="AttestationClaims.SignerId"/>).</summary>
    public ReadOnlyMemory<byte> MrSigner => Report.MrSigner;

    /// <summary>CPUSVN, the platform's CPU security version.</summary>
    public ReadOnlyMemory<byte> CpuSvn => Report.CpuSvn;

    /// <summary>ATTRIBUTES of the enclave.</summary>
    public SgxAttributes Attributes => Report.Attributes;

    /// <summary>The quoting enclave's report body: its identity (MRENCLAVE, MRSIGNER, ISVPRODID, ISVSVN).</summary>
    public SgxReportBody QuotingEnclave { get; }

    /// <summary>The QE security version in the quote header.</summary>
    public ushort QeSvn { get; }

    /// <summary>The PCE security version in the quote header.</summary>
    public ushort PceSvn { get; }

    /// <summary>The QE vendor ID in the quote header.</summary>
    public ReadOnlyMemory<byte> QeVendorId { get; }

    /// <summary>The subject of the PCK certificate that certified the quoting enclave.</summary>
    public string PckCertificateSubject { get; }

    /// <summary>The quoting enclave's TCB status from Intel's QE identity collateral (for example UpToDate or OutOfDate), or null when none was given.</summary>
    public string? QeTcbStatus { get; init; }

    /// <summary>The platform's TCB status from Intel's TCB info collateral (for example UpToDate, SWHardeningNeeded or OutOfDate), or null when none was given.</summary>
    public string? TcbStatus { get; init; }

    /// <summary>The PCK certificate's SGX extension (FMSPC, PCE ID, the TCB it was issued for), or null when it has none.</summary>
    public EnclaveGen.Attestation.X509.PckCertificateInfo? PckInfo { get; init; }
}
