using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// The claims of a verified TDX quote. The unique ID is MRTD; a TD has no signer ID, product ID or
/// security version of its own (those claims are empty or null), so policies on them refuse TDX
/// evidence: check MRTD, the RTMRs, MRCONFIGID, MROWNER and the TDX module (<see cref="TdxPolicy"/>).
/// </summary>
public sealed class TdxClaims : DcapQuoteClaims
{
    internal TdxClaims(DcapVerification verification, TdxQuote quote)
        : base(verification, quote.ReportBody.MrTd, ReadOnlyMemory<byte>.Empty, null, null, quote.ReportBody.IsDebug, quote.ReportBody.ReportData,
            quote.Version, quote.QeCertification, quote.QeSvn, quote.PceSvn, quote.QeVendorId, quote.TrailingBytes)
    {
        Report = quote.ReportBody;
        BodyType = quote.BodyType;
    }

    /// <inheritdoc/>
    public override EvidenceFormat Format => EvidenceFormat.TdxQuote;

    /// <summary>The TD report body (MRTD, RTMRs, MRSEAM, TEE_TCB_SVN, ...).</summary>
    public TdxReportBody Report { get; }

    /// <summary>The body type of a version 5 quote (2: TD report 1.0, 3: TD report 1.5); null for version 4.</summary>
    public ushort? BodyType { get; }

    /// <summary>MRTD (the same as <see cref="AttestationClaims.UniqueId"/>).</summary>
    public ReadOnlyMemory<byte> MrTd => Report.MrTd;

    /// <inheritdoc/>
    protected override string UniqueIdName => "MRTD";

    /// <inheritdoc/>
    protected override string? SignerIdName => null;

    /// <inheritdoc/>
    protected override void DescribeTeeFields(ICollection<ClaimField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        fields.Add(new("mrTd", "MRTD", ClaimValue.Bytes(Report.MrTd)));
        fields.Add(new("mrSeam", "MRSEAM", ClaimValue.Bytes(Report.MrSeam)));
        fields.Add(new("mrSignerSeam", "MRSIGNERSEAM", ClaimValue.Bytes(Report.MrSignerSeam)));
        fields.Add(new("seamAttributes", "SEAMATTRIBUTES", ClaimValue.Bits(Report.SeamAttributes, 16)));
        fields.Add(new("teeTcbSvn", "TEE_TCB_SVN", ClaimValue.Bytes(Report.TeeTcbSvn, $"module ISVSVN {Report.TeeTcbSvn.Span[0]}, module version {Report.TeeTcbSvn.Span[1]}")));
        fields.Add(new("tdAttributes", "TDATTRIBUTES", ClaimValue.Bits(Report.TdAttributes, 16, $"debug {(Report.IsDebug ? "yes" : "no")}")));
        fields.Add(new("xfam", "XFAM", ClaimValue.Bits(Report.Xfam, 16)));
        fields.Add(new("mrConfigId", "MRCONFIGID", ClaimValue.Bytes(Report.MrConfigId)));
        fields.Add(new("mrOwner", "MROWNER", ClaimValue.Bytes(Report.MrOwner)));
        fields.Add(new("mrOwnerConfig", "MROWNERCONFIG", ClaimValue.Bytes(Report.MrOwnerConfig)));
        for (int i = 0; i < 4; i++)
        {
            fields.Add(new($"rtmr{i}", $"RTMR{i}", ClaimValue.Bytes(Report.Rtmrs.Slice(i * 48, 48))));
        }

        fields.Add(new("bodyType", "body type", BodyType is { } type ? ClaimValue.Number(type, type == TdxQuote.BodyTypeTdReport15 ? "TD report 1.5" : "TD report 1.0") : ClaimValue.NoneBecause("(version 4: TD report 1.0)")));
        fields.Add(new("teeTcbSvn2", "TEE_TCB_SVN2", Report.TeeTcbSvn2 is { } svn2 ? ClaimValue.Bytes(svn2) : ClaimValue.NoneBecause("(TD report 1.0)")));
        fields.Add(new("mrServiceTd", "MRSERVICETD", Report.MrServiceTd is { } serviceTd ? ClaimValue.Bytes(serviceTd) : ClaimValue.NoneBecause("(TD report 1.0)")));
        fields.Add(new("tdxModuleTcbStatus", "TDX module TCB status", ClaimValue.Text(Tcb?.TdxModuleStatus?.ToString())));
    }
}
