using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Verification;

/// <summary>The claims of a verified SGX DCAP quote.</summary>
public sealed class SgxClaims : DcapQuoteClaims
{
    internal SgxClaims(DcapVerification verification, SgxQuote quote)
        : base(verification, quote.ReportBody.MrEnclave, quote.ReportBody.MrSigner, quote.ReportBody.IsvProdId, quote.ReportBody.IsvSvn, quote.ReportBody.Attributes.IsDebug, quote.ReportBody.ReportData,
            quote.Version, quote.QeCertification, quote.QeSvn, quote.PceSvn, quote.QeVendorId, quote.TrailingBytes)
    {
        Report = quote.ReportBody;
    }

    /// <inheritdoc/>
    public override EvidenceFormat Format => EvidenceFormat.SgxQuote;

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

    /// <inheritdoc/>
    protected override string UniqueIdName => "MRENCLAVE";

    /// <inheritdoc/>
    protected override string SignerIdName => "MRSIGNER";

    /// <inheritdoc/>
    protected override void DescribeTeeFields(ICollection<ClaimField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        fields.Add(new("cpuSvn", "cpuSvn", ClaimValue.Bytes(CpuSvn)));
        fields.Add(new("attributes", "attributes", ClaimValue.Bytes(Report.ToBytes().AsMemory(48, 16), Attributes.ToString())));
        fields.Add(new("miscSelect", "miscSelect", ClaimValue.Bits(Report.MiscSelect, 8)));
        fields.Add(new("isvExtProdId", "isvExtProdId", ClaimValue.Bytes(Report.IsvExtProdId)));
        fields.Add(new("isvFamilyId", "isvFamilyId", ClaimValue.Bytes(Report.IsvFamilyId)));
        fields.Add(new("configId", "configId", ClaimValue.Bytes(Report.ConfigId)));
        fields.Add(new("configSvn", "configSvn", ClaimValue.Number(Report.ConfigSvn)));
    }
}
