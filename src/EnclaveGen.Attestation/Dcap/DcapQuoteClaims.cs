using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.X509;

namespace EnclaveGen.Attestation.Verification;

/// <summary>What SGX and TDX quotes have in common beyond the common claims: the quoting enclave, the PCK certificate and the quote's framing.</summary>
public abstract class DcapQuoteClaims : AttestationClaims
{
    private protected DcapQuoteClaims(DcapVerification verification, ReadOnlyMemory<byte> uniqueId, ReadOnlyMemory<byte> signerId, ushort? productId, uint? securityVersion, bool isDebug, ReadOnlyMemory<byte> reportData,
        ushort quoteVersion, DcapQuoteSignature certification, ushort qeSvn, ushort pceSvn, ReadOnlyMemory<byte> qeVendorId, int trailingBytes)
        : base(verification.Anchor, uniqueId, signerId, productId, securityVersion, isDebug, reportData)
    {
        QuoteVersion = quoteVersion;
        QuotingEnclave = certification.QeReport;
        QeSvn = qeSvn;
        PceSvn = pceSvn;
        QeVendorId = qeVendorId;
        PckCertificateSubject = verification.PckSubject;
        PckInfo = verification.PckInfo;
        TrailingBytes = trailingBytes;
        Tcb = verification.Tcb;
    }

    /// <summary>The quote version (3, 4 or 5).</summary>
    public ushort QuoteVersion { get; }

    /// <summary>The quoting enclave's report body: its identity (MRENCLAVE, MRSIGNER, ISVPRODID, ISVSVN).</summary>
    public SgxReportBody QuotingEnclave { get; }

    /// <summary>The QE SVN in the quote header (reserved, zero, in TDX quotes).</summary>
    public ushort QeSvn { get; }

    /// <summary>The PCE SVN in the quote header (reserved, zero, in TDX quotes).</summary>
    public ushort PceSvn { get; }

    /// <summary>The QE vendor ID in the quote header.</summary>
    public ReadOnlyMemory<byte> QeVendorId { get; }

    /// <summary>The subject of the PCK certificate that certified the quoting enclave.</summary>
    public string PckCertificateSubject { get; }

    /// <summary>The PCK certificate's SGX extension (FMSPC, PCE ID, the TCB it was issued for), or null when it has none.</summary>
    public PckCertificateInfo? PckInfo { get; }

    /// <summary>How many bytes followed the quote in the buffer it came in (padding: not signed, so never read).</summary>
    public int TrailingBytes { get; }

    /// <inheritdoc/>
    protected override string NotEvaluatedReason => "no Intel collateral was given (TCB info, QE identity, CRLs), so the platform's patch level is unknown";

    /// <summary>Adds the quote's framing, quoting enclave and PCK claims after the TEE's own (<see cref="DescribeTeeFields"/>).</summary>
    protected sealed override void DescribeFormatFields(ICollection<ClaimField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        fields.Add(new("quoteVersion", "quote version", ClaimValue.Number(QuoteVersion)));
        DescribeTeeFields(fields);
        fields.Add(new("qeSvn", "qeSvn (header)", ClaimValue.Number(QeSvn)));
        fields.Add(new("pceSvn", "pceSvn (header)", ClaimValue.Number(PceSvn)));
        fields.Add(new("qeMrEnclave", "quoting enclave MRENCLAVE", ClaimValue.Bytes(QuotingEnclave.MrEnclave)));
        fields.Add(new("qeMrSigner", "quoting enclave MRSIGNER", ClaimValue.Bytes(QuotingEnclave.MrSigner)));
        fields.Add(new("qeProductId", "quoting enclave ISVPRODID", ClaimValue.Number(QuotingEnclave.IsvProdId)));
        fields.Add(new("qeIsvSvn", "quoting enclave ISVSVN", ClaimValue.Number(QuotingEnclave.IsvSvn)));
        fields.Add(new("pckSubject", "PCK certificate", ClaimValue.Text(PckCertificateSubject)));
        fields.Add(new("fmspc", "FMSPC", PckInfo is null ? ClaimValue.None : ClaimValue.Bytes(PckInfo.Fmspc)));
        fields.Add(new("pckTcbComponents", "PCK TCB components", PckInfo is null ? ClaimValue.None : ClaimValue.Bytes(PckInfo.TcbComponents)));
        fields.Add(new("pckPceSvn", "PCK PCESVN", ClaimValue.Number(PckInfo?.PceSvn)));
        fields.Add(new("platformTcbStatus", "platform TCB status", ClaimValue.Text(Tcb?.PlatformStatus.ToString())));
        fields.Add(new("qeTcbStatus", "quoting enclave TCB status", ClaimValue.Text(Tcb?.QuotingEnclaveStatus.ToString())));
        fields.Add(new("trailingBytes", "trailing zero bytes", ClaimValue.Number((ulong)TrailingBytes)));
    }

    /// <summary>Adds the TEE's own claims (the enclave's or TD's report).</summary>
    protected abstract void DescribeTeeFields(ICollection<ClaimField> fields);
}
